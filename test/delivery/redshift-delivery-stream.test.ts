import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { allowing, secret, streamResource, vpc, warnings } from './destination-support';
import { newStack } from './support';
import {
  DeliverySource, RecordTransform, RedshiftCopyOptions, RedshiftDataFormat, RedshiftDeliveryStream, RedshiftDeliveryStreamProps, RedshiftTarget,
  RedshiftTimeFormat,
} from '../../src/delivery';

const ENDPOINT = 'ledger.abc123xyz.eu-west-1.redshift.amazonaws.com';
const EU_WEST_1_FIREHOSE_CIDR = '52.19.239.192/27';

function build(extra: (stack: Stack) => Partial<RedshiftDeliveryStreamProps> = () => ({}), stack: Stack = newStack()) {
  const sg = new ec2.SecurityGroup(stack, 'ClusterSg', { vpc: vpc(stack) });
  const delivery = new RedshiftDeliveryStream(stack, 'Delivery', {
    target: RedshiftTarget.cluster({ endpointAddress: ENDPOINT, databaseName: 'finance', connections: sg }),
    credentials: secret(stack),
    tableName: 'ledger.transactions',
    ...extra(stack),
  });
  const template = Template.fromStack(stack);
  const resource = streamResource(template);
  return { stack, delivery, template, resource, config: resource.Properties.RedshiftDestinationConfiguration, sg };
}

describe('RedshiftDeliveryStream defaults', () => {
  test('COPY of JSON through a GZIP-staged, KMS-encrypted intermediate bucket, credentials from Secrets Manager', () => {
    const { config, resource } = build();
    expect(config.ClusterJDBCURL).toBe(`jdbc:redshift://${ENDPOINT}:5439/finance`);
    expect(config.CopyCommand).toEqual({ DataTableName: 'ledger.transactions', CopyOptions: 'JSON \'auto\' GZIP' });
    expect(config.SecretsManagerConfiguration).toEqual({
      Enabled: true,
      SecretARN: { Ref: expect.stringMatching(/^Secret/) },
      RoleARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] },
    });
    expect(config.Username).toBeUndefined();
    expect(config.Password).toBeUndefined();
    expect(config.RetryOptions).toEqual({ DurationInSeconds: 3600 });
    expect(config.S3BackupMode).toBe('Disabled');
    expect(config.S3BackupConfiguration).toBeUndefined();
    expect(config.ProcessingConfiguration).toBeUndefined();
    expect(config.CloudWatchLoggingOptions).toMatchObject({ Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliveryRedshiftDeliveryLogStream/) } });
    expect(config.S3Configuration).toMatchObject({
      BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryIntermediateBucket/), 'Arn'] },
      CompressionFormat: 'GZIP',
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      Prefix: 'data/',
      EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryKey/), 'Arn'] } } },
      CloudWatchLoggingOptions: { Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliveryS3DeliveryLogStream/) } },
    });
    // Firehose refuses a Redshift destination whose S3 configuration has an error output prefix.
    expect(config.S3Configuration).not.toHaveProperty('ErrorOutputPrefix');
    expect(resource.Properties.DeliveryStreamType).toBe('DirectPut');
    expect(resource.Properties.DeliveryStreamEncryptionConfigurationInput).toMatchObject({ KeyType: 'CUSTOMER_MANAGED_CMK' });
    // The stream waits for its role's policy (secret, bucket, key and log grants) and its log streams.
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DeliveryRoleDefaultPolicy/), expect.stringMatching(/^DeliveryRedshiftDeliveryLogStream/)]));
  });

  test('no credential is written into the template', () => {
    const { template } = build();
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/"(Password|Username|HECToken|AccessKey)"/);
  });

  test('the role reads the secret and writes the intermediate bucket with the key, and trusts Firehose of this account only', () => {
    const { template } = build();
    expect(allowing(template, 'secretsmanager:GetSecretValue')).toHaveLength(1);
    expect(allowing(template, 's3:PutObject').some((s) => JSON.stringify(s.Resource).includes('DeliveryIntermediateBucket'))).toBe(true);
    expect(allowing(template, 'kms:GenerateDataKey*').length).toBeGreaterThan(0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'firehose.amazonaws.com' }, Condition: { StringEquals: { 'sts:ExternalId': '123456789012' } } }] },
    });
  });

  test('opens the cluster\'s security group to the region\'s Firehose CIDR block on the cluster port, without warnings', () => {
    const { template, stack } = build();
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Stack/ClusterSg',
      SecurityGroupIngress: [{ CidrIp: EU_WEST_1_FIREHOSE_CIDR, FromPort: 5439, ToPort: 5439, IpProtocol: 'tcp', Description: 'Firehose delivery from Stack/Delivery' }],
    });
    expect(warnings(stack)).toEqual([]);
  });
});

describe('RedshiftDeliveryStream options', () => {
  test('columns and typed copy options are rendered into the COPY command', () => {
    const { config, delivery } = build(() => ({
      columns: ['id', 'account_id', 'amount', 'booked_at'],
      copyOptions: RedshiftCopyOptions.of({
        dataFormat: RedshiftDataFormat.jsonAuto(true),
        dateFormat: RedshiftTimeFormat.AUTO,
        timeFormat: RedshiftTimeFormat.EPOCH_MILLISECONDS,
        truncateColumns: true,
        blanksAsNull: true,
        emptyAsNull: true,
        invalidCharReplacement: '?',
        maxErrors: 10,
        extraOptions: ['ROUNDEC'],
      }),
    }));
    const expected = 'JSON \'auto ignorecase\' DATEFORMAT AS \'auto\' TIMEFORMAT AS \'epochmillisecs\' TRUNCATECOLUMNS BLANKSASNULL EMPTYASNULL ' +
      'ACCEPTINVCHARS AS \'?\' MAXERROR AS 10 ROUNDEC GZIP';
    expect(config.CopyCommand).toEqual({ DataTableName: 'ledger.transactions', DataTableColumns: 'id,account_id,amount,booked_at', CopyOptions: expected });
    expect(delivery.copyOptionsText).toBe(expected);
  });

  test('CSV, delimited and custom formats', () => {
    expect(build(() => ({ copyOptions: RedshiftCopyOptions.of({ dataFormat: RedshiftDataFormat.csv(';', '"') }) })).config.CopyCommand.CopyOptions)
      .toBe('CSV DELIMITER AS \';\' QUOTE AS \'"\' GZIP');
    expect(build(() => ({ copyOptions: RedshiftCopyOptions.of({ dataFormat: RedshiftDataFormat.csv() }) })).config.CopyCommand.CopyOptions).toBe('CSV GZIP');
    expect(build(() => ({ copyOptions: RedshiftCopyOptions.of({ dataFormat: RedshiftDataFormat.delimited('|'), dateFormat: RedshiftTimeFormat.of('YYYY-MM-DD') }) }))
      .config.CopyCommand.CopyOptions).toBe('DELIMITER \'|\' DATEFORMAT AS \'YYYY-MM-DD\' GZIP');
  });

  test('a JSONPaths file is referenced by its S3 URL and the role may read that object', () => {
    const { config, template } = build((s) => ({
      copyOptions: RedshiftCopyOptions.of({ dataFormat: RedshiftDataFormat.jsonPaths(s3.Bucket.fromBucketName(s, 'Config', 'finance-config'), 'copy/transactions.jsonpaths') }),
    }));
    expect(config.CopyCommand.CopyOptions).toBe('JSON \'s3://finance-config/copy/transactions.jsonpaths\' GZIP');
    const reads = allowing(template, 's3:GetObject*').map((s) => JSON.stringify(s.Resource));
    expect(reads.some((r) => r.includes('finance-config/copy/transactions.jsonpaths'))).toBe(true);
  });

  test('raw copy options are an escape hatch; uncompressed staging drops GZIP', () => {
    const { config } = build(() => ({ copyOptions: RedshiftCopyOptions.raw("FORMAT AS JSON 'auto' COMPUPDATE OFF"), compression: firehose.Compression.UNCOMPRESSED }));
    expect(config.CopyCommand.CopyOptions).toBe("FORMAT AS JSON 'auto' COMPUPDATE OFF");
    expect(config.S3Configuration.CompressionFormat).toBe('UNCOMPRESSED');
    expect(build(() => ({ copyOptions: RedshiftCopyOptions.raw('  ') })).config.CopyCommand.CopyOptions).toBe('GZIP');
    expect(build(() => ({ copyOptions: RedshiftCopyOptions.raw(''), compression: firehose.Compression.UNCOMPRESSED })).config.CopyCommand.CopyOptions).toBeUndefined();
  });

  test('buffering, retry, prefixes, a transform and a backup of all source records', () => {
    const { config, template } = build(() => ({
      buffering: { size: Size.mebibytes(64), interval: Duration.seconds(60) },
      retryDuration: Duration.seconds(0),
      intermediatePrefix: 'staging/',
      transform: RecordTransform.bundled({ requiredFields: ['id'] }),
      sourceBackup: { prefix: 'raw/!{timestamp:yyyy}/', errorOutputPrefix: 'raw-errors/!{firehose:error-output-type}/' },
    }));
    expect(config.S3Configuration).toMatchObject({ BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 }, Prefix: 'staging/' });
    expect(config.S3Configuration).not.toHaveProperty('ErrorOutputPrefix');
    expect(config.RetryOptions).toEqual({ DurationInSeconds: 0 });
    expect(config.ProcessingConfiguration.Processors[0]).toMatchObject({ Type: 'Lambda' });
    expect(config.S3BackupMode).toBe('Enabled');
    expect(config.S3BackupConfiguration).toMatchObject({
      BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryIntermediateBucket/), 'Arn'] },
      Prefix: 'raw/!{timestamp:yyyy}/',
      ErrorOutputPrefix: 'raw-errors/!{firehose:error-output-type}/',
      CompressionFormat: 'GZIP',
      CloudWatchLoggingOptions: { Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliveryS3BackupLogStream/) } },
    });
    expect(allowing(template, 'lambda:InvokeFunction')).toHaveLength(1);
  });

  test('a bucket of yours stages the records, and its key is the default key', () => {
    const { config, template } = build((s) => ({ intermediateBucket: new s3.Bucket(s, 'Staging', { encryption: s3.BucketEncryption.KMS }) }));
    expect(config.S3Configuration.BucketARN).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Staging/), 'Arn'] });
    expect(config.S3Configuration.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^StagingKey/), 'Arn'] });
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('a Serverless workgroup is reached at its endpoint in the stack\'s account and region', () => {
    const stack = newStack();
    const d = new RedshiftDeliveryStream(stack, 'Delivery', {
      target: RedshiftTarget.serverless({ workgroupName: 'finance', port: 8192, connections: new ec2.SecurityGroup(stack, 'Wg', { vpc: vpc(stack) }) }),
      credentials: secret(stack),
      tableName: 'transactions',
    });
    // The URL suffix stays a token: amazonaws.com.cn in the China regions.
    expect(stack.resolve(d.jdbcUrl)).toEqual({
      'Fn::Join': ['', ['jdbc:redshift://finance.123456789012.eu-west-1.redshift-serverless.', { Ref: 'AWS::URLSuffix' }, ':8192/dev']],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Stack/Wg', SecurityGroupIngress: [Match.objectLike({ CidrIp: EU_WEST_1_FIREHOSE_CIDR, FromPort: 8192 })],
    });
  });

  test('a Kinesis stream source: read from the stream, no server-side encryption of the delivery stream', () => {
    const { resource } = build((s) => ({ source: DeliverySource.kinesisStream(new kinesis.Stream(s, 'Transactions')) }));
    expect(resource.Properties.DeliveryStreamType).toBe('KinesisStreamAsSource');
    expect(resource.Properties.KinesisStreamSourceConfiguration).toBeDefined();
    expect(resource.Properties.DeliveryStreamEncryptionConfigurationInput).toBeUndefined();
  });
});

describe('RedshiftDeliveryStream network', () => {
  function target(stack: Stack, connections?: ec2.IConnectable, publiclyAccessible?: boolean) {
    return new RedshiftDeliveryStream(stack, 'Delivery', {
      target: RedshiftTarget.cluster({ endpointAddress: ENDPOINT, databaseName: 'finance', connections, publiclyAccessible }),
      credentials: secret(stack),
      tableName: 'transactions',
    });
  }

  test('a mutable imported security group gets an ingress resource', () => {
    const stack = newStack();
    target(stack, ec2.SecurityGroup.fromSecurityGroupId(stack, 'Imported', 'sg-0123456789abcdef0'));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0123456789abcdef0', CidrIp: EU_WEST_1_FIREHOSE_CIDR, FromPort: 5439, ToPort: 5439, IpProtocol: 'tcp',
    });
    expect(warnings(stack)).toEqual([]);
  });

  test('an immutable imported security group cannot be opened: the warning names it, the port and the CIDR block', () => {
    const stack = newStack();
    target(stack, ec2.SecurityGroup.fromSecurityGroupId(stack, 'Imported', 'sg-0123456789abcdef0', { mutable: false }));
    Template.fromStack(stack).resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect(warnings(stack)).toEqual([{
      path: 'Stack/Delivery',
      text: 'Stack/Delivery: the security groups sg-0123456789abcdef0 are imported as immutable, so they were not opened: add an inbound rule for ' +
        `TCP 5439 from the Firehose CIDR block of eu-west-1 (${EU_WEST_1_FIREHOSE_CIDR}) (listed at ` +
        'https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-rs-vpc) to them where they are managed',
    }]);
  });

  test('without security groups, the warning says what to open', () => {
    const stack = newStack();
    target(stack);
    expect(warnings(stack)).toEqual([{
      path: 'Stack/Delivery',
      text: 'Stack/Delivery: the Redshift cluster\'s security groups were not given, so they were not opened: add an inbound rule for TCP 5439 from ' +
        `the Firehose CIDR block of eu-west-1 (${EU_WEST_1_FIREHOSE_CIDR}) (listed at https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-rs-vpc) ` +
        'to them, or pass them as the target\'s connections',
    }]);
  });

  test('a private cluster cannot be reached: the warning explains the two ways out', () => {
    const stack = newStack();
    target(stack, new ec2.SecurityGroup(stack, 'Sg', { vpc: vpc(stack) }), false);
    expect(warnings(stack)).toEqual([{
      path: 'Stack/Delivery',
      text: 'Stack/Delivery: Firehose connects to the Redshift cluster over its public endpoint from the Firehose CIDR block of eu-west-1 ' +
        `(${EU_WEST_1_FIREHOSE_CIDR}), so a cluster that is not publicly accessible cannot be loaded. Make it publicly accessible (in subnets routed to an ` +
        'internet gateway) with an inbound rule for TCP 5439 from that block only, or deliver to S3 with S3DeliveryStream and load with COPY from inside the VPC',
    }]);
  });

  test('in an environment-agnostic stack the CIDR block is looked up at deploy time', () => {
    const stack = new Stack();
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
    target(stack, sg);
    const ingress = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup')[stack.getLogicalId(sg.node.defaultChild as ec2.CfnSecurityGroup)];
    expect(ingress.Properties.SecurityGroupIngress[0].CidrIp).toEqual({ 'Fn::FindInMap': ['awscdkawskinesisfirehoseCidrBlocks', { Ref: 'AWS::Region' }, 'FirehoseCidrBlock'] });
  });
});
