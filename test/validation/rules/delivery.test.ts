import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { findingsOf, fn, mapping, stream } from './support';
import { DeliverySource, S3DeliveryStream } from '../../../src/delivery';

function failureTo(stack: Stack, s: kinesis.IStream, destination: string) {
  new lambda.EventSourceMapping(stack, 'Reader', {
    target: fn(stack, 'Consumer'),
    eventSourceArn: s.streamArn,
    startingPosition: lambda.StartingPosition.LATEST,
    retryAttempts: 2,
    onFailure: { bind: () => ({ destination }) },
  });
}

describe('KPX14 unencrypted failure destination of an encrypted stream', () => {
  test('a queue with SSE turned off', () => {
    const found = findingsOf('KPX14', (stack) => failureTo(stack, stream(stack, 'S'), new sqs.Queue(stack, 'Dlq', { encryption: sqs.QueueEncryption.UNENCRYPTED }).queueArn));
    expect(found[0].constructPath).toBe('Design/Dlq/Resource');
    expect(found[0].message).toMatch(/queue receives the failed batches of Design\/Reader\/Resource from Design\/S\/Resource, which is encrypted \(KMS\), but is itself unencrypted/);
  });
  test('a topic without a key', () => {
    expect(findingsOf('KPX14', (stack) => failureTo(stack, stream(stack, 'S'), new sns.Topic(stack, 'Alerts').topicArn))[0].message).toMatch(/^KPX14: Design\/Alerts\/Resource: topic receives/);
  });
  test('silent with an SQS-managed queue, a keyed topic, or an unencrypted stream', () => {
    expect(findingsOf('KPX14', (stack) => failureTo(stack, stream(stack, 'S'), new sqs.Queue(stack, 'Dlq').queueArn))).toEqual([]);
    expect(findingsOf('KPX14', (stack) => failureTo(stack, stream(stack, 'S'), new sns.Topic(stack, 'T', { masterKey: new kms.Key(stack, 'K') }).topicArn))).toEqual([]);
    expect(findingsOf('KPX14', (stack) => failureTo(stack, stream(stack, 'S', { encryption: kinesis.StreamEncryption.UNENCRYPTED }), new sns.Topic(stack, 'T').topicArn))).toEqual([]);
  });
});

describe('KPX15 customer key dropped downstream', () => {
  const build = (bucketKey: boolean, logKey: boolean) => (stack: Stack) => {
    const key = new kms.Key(stack, 'StreamKey');
    const s = stream(stack, 'S', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    const bucket = new s3.Bucket(stack, 'Lake', bucketKey ? { encryption: s3.BucketEncryption.KMS, encryptionKey: key } : {});
    const logGroup = new logs.LogGroup(stack, 'Errors', logKey ? { encryptionKey: key } : {});
    new firehose.DeliveryStream(stack, 'ToLake', {
      source: new firehose.KinesisStreamSource(s),
      destination: new firehose.S3Bucket(bucket, { loggingConfig: new firehose.EnableLogging(logGroup) }),
    });
  };
  test('an S3-managed bucket and a log group without a key', () => {
    const found = findingsOf('KPX15', build(false, false));
    expect(found.map((f) => f.constructPath).sort()).toEqual(['Design/Errors/Resource', 'Design/Lake/Resource']);
    expect(found.find((f) => f.constructPath === 'Design/Lake/Resource')!.message).toMatch(/bucket receives Design\/ToLake\/Resource's delivery of Design\/S\/Resource, which is encrypted with a customer-managed key, but the bucket and the delivery use no KMS key/);
  });
  test('silent when both use a KMS key', () => {
    expect(findingsOf('KPX15', build(true, true))).toEqual([]);
  });
});

describe('KPX16 unencrypted direct-PUT delivery fed by a consumer of an encrypted stream', () => {
  const build = (encrypted: boolean) => (stack: Stack) => {
    const s = stream(stack, 'S');
    const delivery = new firehose.DeliveryStream(stack, 'Out', {
      destination: new firehose.S3Bucket(new s3.Bucket(stack, 'B'), { loggingConfig: new firehose.EnableLogging() }),
      encryption: encrypted ? firehose.StreamEncryption.awsOwnedKey() : undefined,
    });
    const m = mapping(stack, 'Reader', s.streamArn);
    delivery.grantPutRecords((m as any).node.scope.node.findChild('ReaderFn'));
  };
  test('a Lambda consumer writes to a delivery stream without SSE', () => {
    expect(findingsOf('KPX16', build(false))[0].message).toMatch(/receives records from Design\/ReaderFn\/Resource, which reads Design\/S\/Resource \(encrypted\), but has no server-side encryption/);
  });
  test('silent with SSE', () => {
    expect(findingsOf('KPX16', build(true))).toEqual([]);
  });
});

describe('KPX17 Firehose without error logging', () => {
  test('logging turned off', () => {
    const found = findingsOf('KPX17', (stack) => new firehose.DeliveryStream(stack, 'Out', { destination: new firehose.S3Bucket(new s3.Bucket(stack, 'B'), { loggingConfig: new firehose.DisableLogging() }) }));
    expect(found[0].message).toMatch(/ExtendedS3DestinationConfiguration has no error logging \(CloudWatchLoggingOptions.Enabled is not set\)/);
  });
  test('an L1 delivery stream without logging options', () => {
    const found = findingsOf('KPX17', (stack) => new firehose.CfnDeliveryStream(stack, 'Raw', {
      httpEndpointDestinationConfiguration: { endpointConfiguration: { url: 'https://example.com' }, s3Configuration: { bucketArn: 'arn:aws:s3:::b', roleArn: 'arn:aws:iam::111111111111:role/r' } },
    }));
    expect(found[0].message).toMatch(/HttpEndpointDestinationConfiguration has no error logging \(CloudWatchLoggingOptions.Enabled is not set\)/);
  });
  test('silent with logging', () => {
    expect(findingsOf('KPX17', (stack) => new firehose.DeliveryStream(stack, 'Out', { destination: new firehose.S3Bucket(new s3.Bucket(stack, 'B')) }))).toEqual([]);
  });
});

describe('KPX18 stream source in another Region or account', () => {
  test('a mapping on a stream in another Region is an error', () => {
    const found = findingsOf('KPX18', (stack) => mapping(stack, 'Reader', 'arn:aws:kinesis:us-east-1:111111111111:stream/clicks'));
    expect(found[0].message).toMatch(/reads arn:aws:kinesis:us-east-1:111111111111:stream\/clicks in Region us-east-1, but its stack is in eu-west-1/);
    expect(found[0].severity).toBe('error');
  });
  test('a Firehose source in another account is a warning', () => {
    const found = findingsOf('KPX18', (stack) => new firehose.DeliveryStream(stack, 'Out', {
      source: new firehose.KinesisStreamSource(kinesis.Stream.fromStreamArn(stack, 'Theirs', 'arn:aws:kinesis:eu-west-1:222222222222:stream/clicks')),
      destination: new firehose.S3Bucket(new s3.Bucket(stack, 'B')),
    }));
    expect(found[0].severity).toBe('warning');
    expect(found[0].message).toMatch(/in account 222222222222, but its stack is in 111111111111: the stream needs a resource policy/);
  });
  test('silent for a stream of the same Region and account', () => {
    expect(findingsOf('KPX18', (stack) => mapping(stack, 'Reader', 'arn:aws:kinesis:eu-west-1:111111111111:stream/clicks'))).toEqual([]);
  });
});

describe('KPX19 Redshift staging prefix', () => {
  const redshift = (prefix: string, errorPrefix?: string) => (stack: Stack) => new firehose.CfnDeliveryStream(stack, 'ToRedshift', {
    redshiftDestinationConfiguration: {
      clusterJdbcurl: 'jdbc:redshift://c.abc.eu-west-1.redshift.amazonaws.com:5439/db',
      username: 'u',
      password: 'p',
      roleArn: 'arn:aws:iam::111111111111:role/r',
      copyCommand: { dataTableName: 't' },
      cloudWatchLoggingOptions: { enabled: true, logGroupName: 'g', logStreamName: 's' },
      s3Configuration: { bucketArn: 'arn:aws:s3:::b', roleArn: 'arn:aws:iam::111111111111:role/r', prefix, errorOutputPrefix: errorPrefix },
    },
  });
  test('partition keys in the staging prefix', () => {
    expect(findingsOf('KPX19', redshift('staging/!{partitionKeyFromQuery:tenant}/', 'errors/!{firehose:error-output-type}/'))[0].message)
      .toMatch(/staging prefix 'staging\/!\{partitionKeyFromQuery:tenant\}\/' uses partition keys, which need dynamic partitioning, not available for Redshift destinations/);
  });
  test('expressions without the error output type', () => {
    expect(findingsOf('KPX19', redshift('staging/!{timestamp:yyyy}/'))[0].message).toMatch(/so the error prefix must contain !\{firehose:error-output-type\}, got none/);
  });
  test('silent with a plain prefix or timestamps and the error type', () => {
    expect(findingsOf('KPX19', redshift('staging/'))).toEqual([]);
    expect(findingsOf('KPX19', redshift('staging/!{timestamp:yyyy}/', 'errors/!{firehose:error-output-type}/'))).toEqual([]);
  });
});

describe('KPX18 MSK source cluster in another Region or account', () => {
  const fromCluster = (arn: string) => (stack: Stack) => new firehose.CfnDeliveryStream(stack, 'FromMsk', {
    deliveryStreamType: 'MSKAsSource',
    mskSourceConfiguration: { mskClusterArn: arn, topicName: 'orders', authenticationConfiguration: { connectivity: 'PRIVATE', roleArn: 'arn:aws:iam::111111111111:role/r' } },
    s3DestinationConfiguration: { bucketArn: 'arn:aws:s3:::b', roleArn: 'arn:aws:iam::111111111111:role/r' },
  });
  test('another Region is an error, another account a warning naming the cluster policy', () => {
    expect(findingsOf('KPX18', fromCluster('arn:aws:kafka:us-east-1:111111111111:cluster/orders/abc-1'))[0].message)
      .toMatch(/reads arn:aws:kafka:us-east-1:111111111111:cluster\/orders\/abc-1 in Region us-east-1, but its stack is in eu-west-1/);
    const other = findingsOf('KPX18', fromCluster('arn:aws:kafka:eu-west-1:222222222222:cluster/orders/abc-1'))[0];
    expect(other.severity).toBe('warning');
    expect(other.message).toMatch(/in account 222222222222, but its stack is in 111111111111: the cluster needs a cluster policy for this account/);
  });
  test('silent for a cluster of the same Region and account', () => {
    expect(findingsOf('KPX18', fromCluster('arn:aws:kafka:eu-west-1:111111111111:cluster/orders/abc-1'))).toEqual([]);
  });
});

describe('KPX23 one source per delivery stream, matching its type', () => {
  const role = 'arn:aws:iam::111111111111:role/r';
  const s3Destination = { bucketArn: 'arn:aws:s3:::b', roleArn: role };
  const kinesisSource = { kinesisStreamArn: 'arn:aws:kinesis:eu-west-1:111111111111:stream/clicks', roleArn: role };
  const mskSource = { mskClusterArn: 'arn:aws:kafka:eu-west-1:111111111111:cluster/orders/abc-1', topicName: 'orders', authenticationConfiguration: { connectivity: 'PRIVATE', roleArn: role } };
  const raw = (props: Partial<firehose.CfnDeliveryStreamProps>) => (stack: Stack) => new firehose.CfnDeliveryStream(stack, 'Raw', { s3DestinationConfiguration: s3Destination, ...props });

  test('two source configurations', () => {
    const found = findingsOf('KPX23', raw({ deliveryStreamType: 'MSKAsSource', kinesisStreamSourceConfiguration: kinesisSource, mskSourceConfiguration: mskSource }));
    expect(found).toHaveLength(1);
    expect(found[0].message).toMatch(/^KPX23: Design\/Raw: has 2 sources \(KinesisStreamSourceConfiguration, MSKSourceConfiguration\): a delivery stream reads exactly one/);
    expect(found[0].severity).toBe('error');
  });
  test('an MSK source without MSKAsSource (DirectPut by default), and a type without its source', () => {
    expect(findingsOf('KPX23', raw({ mskSourceConfiguration: mskSource }))[0].message)
      .toMatch(/has MSKSourceConfiguration but DeliveryStreamType is not set \(DirectPut\): set it to 'MSKAsSource'/);
    expect(findingsOf('KPX23', raw({ deliveryStreamType: 'KinesisStreamAsSource', mskSourceConfiguration: mskSource }))[0].message)
      .toMatch(/has MSKSourceConfiguration but DeliveryStreamType 'KinesisStreamAsSource': set it to 'MSKAsSource'/);
    expect(findingsOf('KPX23', raw({ deliveryStreamType: 'MSKAsSource' }))[0].message)
      .toMatch(/has DeliveryStreamType 'MSKAsSource' but no MSKSourceConfiguration: add it, or use DirectPut/);
    expect(findingsOf('KPX23', raw({ deliveryStreamType: 'KafkaAsSource' }))[0].message)
      .toMatch(/has DeliveryStreamType 'KafkaAsSource', which is not one of DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource/);
  });
  test('server-side encryption with an MSK source', () => {
    expect(findingsOf('KPX23', raw({ deliveryStreamType: 'MSKAsSource', mskSourceConfiguration: mskSource, deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' } }))[0].message)
      .toMatch(/has server-side encryption with its MSKSourceConfiguration: Firehose allows it with direct PUT only/);
  });
  test('silent for direct PUT, a Kinesis source, an MSK source, the library\'s constructs and a type from a parameter', () => {
    expect(findingsOf('KPX23', raw({}))).toEqual([]);
    expect(findingsOf('KPX23', raw({ deliveryStreamType: 'DirectPut', deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' } }))).toEqual([]);
    expect(findingsOf('KPX23', raw({ deliveryStreamType: 'KinesisStreamAsSource', kinesisStreamSourceConfiguration: kinesisSource }))).toEqual([]);
    expect(findingsOf('KPX23', raw({ deliveryStreamType: 'MSKAsSource', mskSourceConfiguration: mskSource }))).toEqual([]);
    expect(findingsOf('KPX23', (stack) => new S3DeliveryStream(stack, 'Lib', { source: DeliverySource.msk({ clusterArn: mskSource.mskClusterArn, topicName: 'orders', clusterPolicy: true }) }))).toEqual([]);
    expect(findingsOf('KPX23', (stack) => raw({ deliveryStreamType: new CfnParameter(stack, 'Type').valueAsString, mskSourceConfiguration: mskSource })(stack))).toEqual([]);
  });
});
