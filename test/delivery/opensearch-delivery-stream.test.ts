import { Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { allowing, streamResource, vpc, warnings } from './destination-support';
import { errorOf, newStack } from './support';
import {
  DocumentIdFormat, IndexRotation, OpenSearchDeliveryStream, OpenSearchDeliveryStreamProps, OpenSearchTarget, RecordTransform,
} from '../../src/delivery';

const DOMAIN_ARN = 'arn:aws:es:eu-west-1:123456789012:domain/logs';
const COLLECTION = { collectionEndpoint: 'https://abc123.eu-west-1.aoss.amazonaws.com', collectionArn: 'arn:aws:aoss:eu-west-1:123456789012:collection/abc123' };

type Extra = Partial<OpenSearchDeliveryStreamProps> | ((stack: Stack) => Partial<OpenSearchDeliveryStreamProps>);

function build(extra: Extra = {}, stack: Stack = newStack()) {
  const delivery = new OpenSearchDeliveryStream(stack, 'Delivery', {
    target: OpenSearchTarget.domain(opensearch.Domain.fromDomainAttributes(stack, 'Domain', { domainArn: DOMAIN_ARN, domainEndpoint: 'https://search-logs.eu-west-1.es.amazonaws.com' })),
    indexName: 'app-logs',
    ...(typeof extra === 'function' ? extra(stack) : extra),
  });
  const template = Template.fromStack(stack);
  const resource = streamResource(template);
  return { stack, delivery, template, resource, props: resource.Properties };
}

describe('OpenSearchDeliveryStream on a domain', () => {
  test('defaults: daily rotation, failed documents to a KMS-encrypted backup bucket, 5 MiB / 300 s, 300 s of retries', () => {
    const { props } = build();
    const config = props.AmazonopensearchserviceDestinationConfiguration;
    expect(config).toMatchObject({
      DomainARN: DOMAIN_ARN,
      IndexName: 'app-logs',
      IndexRotationPeriod: 'OneDay',
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      RetryOptions: { DurationInSeconds: 300 },
      S3BackupMode: 'FailedDocumentsOnly',
      CloudWatchLoggingOptions: { Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliveryOpenSearchDeliveryLogStream/) } },
      S3Configuration: {
        BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryBackupBucket/), 'Arn'] },
        Prefix: 'backup/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/',
        ErrorOutputPrefix: 'backup-errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
        CompressionFormat: 'GZIP',
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryKey/), 'Arn'] } } },
      },
    });
    expect(config.DocumentIdOptions).toBeUndefined();
    expect(config.VpcConfiguration).toBeUndefined();
    expect(config.ClusterEndpoint).toBeUndefined();
    expect(props.DeliveryStreamEncryptionConfigurationInput).toMatchObject({ KeyType: 'CUSTOMER_MANAGED_CMK' });
  });

  test('the role gets the Firehose guide\'s domain policy: describe and write the domain, read its stats and the index mappings', () => {
    const { template } = build();
    const write = allowing(template, 'es:ESHttpPut');
    expect(write).toHaveLength(1);
    expect(write[0].Action).toEqual(['es:DescribeDomain', 'es:DescribeDomains', 'es:DescribeDomainConfig', 'es:ESHttpPost', 'es:ESHttpPut']);
    expect(write[0].Resource).toEqual([DOMAIN_ARN, `${DOMAIN_ARN}/*`]);
    const read = allowing(template, 'es:ESHttpGet');
    expect(read[0].Resource).toEqual(['_all/_settings', '_cluster/stats', 'app-logs*/_mapping/*', '_nodes', '_nodes/stats', '_nodes/*/stats', '_stats',
      'app-logs*/_stats', ''].map((p) => `${DOMAIN_ARN}/${p}`));
  });

  test('rotation, document ids, all documents backed up to your bucket, buffering, retries and a transform', () => {
    const { props, template } = build((s) => ({
      indexRotation: IndexRotation.NO_ROTATION,
      documentIdFormat: DocumentIdFormat.NO_DOCUMENT_ID,
      backup: { mode: firehose.BackupMode.ALL, bucket: new s3.Bucket(s, 'Archive'), prefix: 'all/', errorOutputPrefix: 'all-errors/', compression: firehose.Compression.UNCOMPRESSED },
      buffering: { size: Size.mebibytes(100), interval: Duration.seconds(0) },
      retryDuration: Duration.seconds(7200),
      transform: RecordTransform.bundled({ dropFields: ['password'] }),
    }));
    const config = props.AmazonopensearchserviceDestinationConfiguration;
    expect(config).toMatchObject({
      IndexRotationPeriod: 'NoRotation',
      DocumentIdOptions: { DefaultDocumentIdFormat: 'NO_DOCUMENT_ID' },
      S3BackupMode: 'AllDocuments',
      S3Configuration: { BucketARN: { 'Fn::GetAtt': [expect.stringMatching(/^Archive/), 'Arn'] }, Prefix: 'all/', ErrorOutputPrefix: 'all-errors/', CompressionFormat: 'UNCOMPRESSED' },
      BufferingHints: { SizeInMBs: 100, IntervalInSeconds: 0 },
      RetryOptions: { DurationInSeconds: 7200 },
      ProcessingConfiguration: { Enabled: true, Processors: [expect.objectContaining({ Type: 'Lambda' })] },
    });
    template.resourceCountIs('AWS::S3::Bucket', 1);
  });

  test('every rotation period renders as the service names it', () => {
    const rotations: Array<[IndexRotation, string]> = [
      [IndexRotation.ONE_HOUR, 'OneHour'], [IndexRotation.ONE_DAY, 'OneDay'], [IndexRotation.ONE_WEEK, 'OneWeek'], [IndexRotation.ONE_MONTH, 'OneMonth'],
    ];
    for (const [rotation, value] of rotations) {
      expect(build({ indexRotation: rotation }).props.AmazonopensearchserviceDestinationConfiguration.IndexRotationPeriod).toBe(value);
    }
    expect(build({ documentIdFormat: DocumentIdFormat.FIREHOSE_DEFAULT }).props.AmazonopensearchserviceDestinationConfiguration.DocumentIdOptions)
      .toEqual({ DefaultDocumentIdFormat: 'FIREHOSE_DEFAULT' });
  });
});

describe('OpenSearchDeliveryStream on a Serverless collection', () => {
  test('renders the Serverless configuration and grants aoss:APIAccessAll on the collection', () => {
    const { props, template } = build({ target: OpenSearchTarget.collection(COLLECTION) });
    expect(props.AmazonopensearchserviceDestinationConfiguration).toBeUndefined();
    const config = props.AmazonOpenSearchServerlessDestinationConfiguration;
    expect(config).toMatchObject({
      CollectionEndpoint: COLLECTION.collectionEndpoint,
      IndexName: 'app-logs',
      S3BackupMode: 'FailedDocumentsOnly',
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      RetryOptions: { DurationInSeconds: 300 },
      CloudWatchLoggingOptions: { Enabled: true, LogStreamName: { Ref: expect.stringMatching(/^DeliveryOpenSearchServerlessDeliveryLogStream/) } },
    });
    expect(config.IndexRotationPeriod).toBeUndefined();
    expect(allowing(template, 'aoss:APIAccessAll')[0].Resource).toBe(COLLECTION.collectionArn);
  });

  test('dataAccessPolicy is the data access policy the collection needs for the delivery role', () => {
    const { delivery, stack } = build({ target: OpenSearchTarget.collection(COLLECTION) });
    const policy = stack.resolve(delivery.dataAccessPolicy('app-logs-collection'));
    const roleArn = { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] };
    const text = policy['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : 'ROLE')).join('');
    expect(JSON.parse(text)).toEqual([{
      Rules: [{ ResourceType: 'index', Resource: ['index/app-logs-collection/app-logs*'], Permission: ['aoss:WriteDocument', 'aoss:CreateIndex', 'aoss:UpdateIndex', 'aoss:DescribeIndex'] }],
      Principal: ['ROLE'],
    }]);
    expect(policy['Fn::Join'][1]).toContainEqual(roleArn);
  });
});

describe('OpenSearchDeliveryStream in a VPC', () => {
  test('a domain with VPC access: network interfaces in the private subnets, HTTPS opened on the domain\'s security group', () => {
    const stack = newStack();
    const network = vpc(stack);
    const domain = new opensearch.Domain(stack, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_17,
      vpc: network,
      vpcSubnets: [{ subnets: [network.privateSubnets[0]] }],
      capacity: { dataNodes: 1, multiAzWithStandbyEnabled: false },
      zoneAwareness: { enabled: false },
    });
    const delivery = new OpenSearchDeliveryStream(stack, 'Delivery', { target: OpenSearchTarget.domain(domain), indexName: 'app-logs', vpc: { vpc: network } });
    const template = Template.fromStack(stack);
    const config = streamResource(template).Properties.AmazonopensearchserviceDestinationConfiguration;
    expect(config.VpcConfiguration).toEqual({
      RoleARN: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryRole/), 'Arn'] },
      SubnetIds: network.privateSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) })),
      SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^DeliverySecurityGroup/), 'GroupId'] }],
    });
    expect(delivery.securityGroups).toHaveLength(1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Firehose network interfaces of Stack/Delivery',
      SecurityGroupEgress: [{ CidrIp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Vpc'), 'CidrBlock'] }, FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'HTTPS to the OpenSearch target' }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443, ToPort: 443, IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeliverySecurityGroup'), 'GroupId'] },
    });
    const eni = allowing(template, 'ec2:CreateNetworkInterface');
    expect(eni[0]).toMatchObject({ Resource: '*' });
    expect(eni[0].Action).toEqual(['ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces',
      'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface']);
    expect(warnings(stack).filter((w) => w.path.startsWith('Stack/Delivery'))).toEqual([]);
  });

  test('an imported domain\'s security groups are unknown: the warning says what to allow', () => {
    const stack = newStack();
    const network = vpc(stack);
    const sg = new ec2.SecurityGroup(stack, 'Eni', { vpc: network });
    build({ vpc: { vpc: network, securityGroups: [sg], subnets: { subnetType: ec2.SubnetType.PUBLIC } } }, stack);
    expect(warnings(stack)).toContainEqual({
      path: 'Stack/Delivery',
      text: 'Stack/Delivery: the OpenSearch target\'s security groups are not known here (an imported domain, or a collection without connections): allow ' +
        'inbound HTTPS (443) from the delivery stream\'s security groups (Stack/Eni) to the domain or VPC endpoint',
    });
  });

  test('a collection\'s VPC endpoint security group is opened when given', () => {
    const stack = newStack();
    const network = vpc(stack);
    const endpointSg = new ec2.SecurityGroup(stack, 'EndpointSg', { vpc: network });
    build({ target: OpenSearchTarget.collection({ ...COLLECTION, connections: endpointSg }), vpc: { vpc: network } }, stack);
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EndpointSg'), 'GroupId'] }, FromPort: 443,
    });
    expect(warnings(stack)).toEqual([]);
  });
});

describe('OpenSearchDeliveryStream rules', () => {
  const P = 'Stack/Delivery: ';
  const message = (extra: Extra) => errorOf(() => build(extra));
  test.each<[string, Extra, string, string?]>([
    ['index name case', { indexName: 'AppLogs' }, 'indexName must be lowercase, may not start with _, - or +, and may not contain \\ / * ? " < > | , # : or spaces, got \'AppLogs\''],
    ['index name start', { indexName: '_logs' }, 'indexName must be lowercase, may not start with _, - or +, and may not contain \\ / * ? " < > | , # : or spaces, got \'_logs\''],
    ['index name length', { indexName: 'a'.repeat(81) }, `indexName must be 1 to 80 characters, got 81 ('${'a'.repeat(81)}')`],
    ['rotation on a collection', { target: OpenSearchTarget.collection(COLLECTION), indexRotation: IndexRotation.ONE_DAY },
      'indexRotation OneDay is not available for an OpenSearch Serverless collection, which does not rotate indexes'],
    ['document ids on a collection', { target: OpenSearchTarget.collection(COLLECTION), documentIdFormat: DocumentIdFormat.NO_DOCUMENT_ID },
      'documentIdFormat NO_DOCUMENT_ID is not available for an OpenSearch Serverless collection'],
    ['collection endpoint', { target: OpenSearchTarget.collection({ ...COLLECTION, collectionEndpoint: 'http://abc123.eu-west-1.aoss.amazonaws.com' }) },
      "OpenSearchTarget.collection collectionEndpoint must be an https:// URL of at most 512 characters, got 'http://abc123.eu-west-1.aoss.amazonaws.com'"],
    ['buffering size', { buffering: { size: Size.mebibytes(101) } }, 'buffering.size must be between 1 and 100 MiB, got 101 MiB'],
    ['buffering interval', { buffering: { interval: Duration.seconds(901) } }, 'buffering.interval must be between 0 and 900 seconds, got 901 seconds'],
    ['retry duration', { retryDuration: Duration.seconds(7201) }, 'retryDuration must be between 0 and 7200 seconds, got 7201 seconds'],
    ['too many security groups', (s) => {
      const network = vpc(s);
      return { vpc: { vpc: network, securityGroups: [1, 2, 3, 4, 5, 6].map((i) => new ec2.SecurityGroup(s, `Sg${i}`, { vpc: network })) } };
    }, 'vpc.securityGroups must have 1 to 5 security groups, got 6'],
    ['no security group', (s) => ({ vpc: { vpc: vpc(s), securityGroups: [] } }), 'vpc.securityGroups must have 1 to 5 security groups, got 0'],
    ['backup bucket and props', (s) => ({ backup: { bucket: new s3.Bucket(s, 'B'), bucketProps: {} } }),
      'backup.bucket and backup.bucketProps cannot be given together: backup.bucketProps configure the bucket this construct creates', 'Stack/Delivery (backup): '],
  ])('%s', (_name, extra, expected, path = P) => {
    expect(message(extra)).toBe(path + expected);
  });

  test('a domain of the app with VPC access needs VPC delivery, and a public one refuses it', () => {
    const stack = newStack();
    const network = vpc(stack);
    const capacity = { dataNodes: 1, multiAzWithStandbyEnabled: false };
    const inVpc = new opensearch.Domain(stack, 'Private', {
      version: opensearch.EngineVersion.OPENSEARCH_2_17,
      vpc: network,
      vpcSubnets: [{ subnets: [network.privateSubnets[0]] }],
      capacity,
      zoneAwareness: { enabled: false },
    });
    const open = new opensearch.Domain(stack, 'Public', { version: opensearch.EngineVersion.OPENSEARCH_2_17, capacity, zoneAwareness: { enabled: false } });
    expect(errorOf(() => new OpenSearchDeliveryStream(stack, 'ToPrivate', { target: OpenSearchTarget.domain(inVpc), indexName: 'logs' })))
      .toBe('Stack/ToPrivate: the domain has VPC access, so Firehose reaches it only through VPC delivery: set vpc to the domain\'s VPC and subnets');
    expect(errorOf(() => new OpenSearchDeliveryStream(stack, 'ToPublic', { target: OpenSearchTarget.domain(open), indexName: 'logs', vpc: { vpc: network } })))
      .toBe('Stack/ToPublic: vpc is set but the domain has a public endpoint: Firehose delivers to it without VPC delivery; remove vpc, or give the domain VPC access');
  });

  test('more than 16 subnets are refused', () => {
    const stack = newStack();
    const subnets = Array.from({ length: 17 }, (_, i) => ec2.Subnet.fromSubnetId(stack, `Subnet${i}`, `subnet-${String(i).padStart(8, '0')}`));
    expect(errorOf(() => build({ vpc: { vpc: vpc(stack), subnets: { subnets } } }, stack))).toBe(`${P}vpc.subnets must select 1 to 16 subnets, got 17`);
  });
});
