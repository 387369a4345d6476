import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as msk from 'aws-cdk-lib/aws-msk';
import { allowing, secret, streamResource, warnings } from './destination-support';
import { errorOf, newStack } from './support';
import {
  DeliverySource, HttpEndpointDeliveryStream, IcebergCatalog, IcebergDeliveryStream, MskConnectivity, MskSourceOptions, OpenSearchDeliveryStream,
  OpenSearchTarget, RedshiftDeliveryStream, RedshiftTarget, S3DeliveryStream, SplunkDeliveryStream, SplunkEndpointType,
} from '../../src/delivery';
import { consoleErrorOf } from '../support/console';
import { nagFindings } from '../support/nag';

const CLUSTER = 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders/0b5a3c2e-1f4d-4a8b-9c6e-2d7f8a9b0c1d-2';
const TOPIC_ARN = 'arn:aws:kafka:eu-west-1:123456789012:topic/orders/0b5a3c2e-1f4d-4a8b-9c6e-2d7f8a9b0c1d-2/orders.v1';
const GROUP_ARN = 'arn:aws:kafka:eu-west-1:123456789012:group/orders/0b5a3c2e-1f4d-4a8b-9c6e-2d7f8a9b0c1d-2/*';

function s3(options: Partial<MskSourceOptions> | ((stack: Stack) => Partial<MskSourceOptions>) = {}, stack: Stack = newStack()) {
  const extra = typeof options === 'function' ? options(stack) : options;
  const delivery = new S3DeliveryStream(stack, 'Delivery', { source: DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders.v1', ...extra }) });
  const template = Template.fromStack(stack);
  return { stack, delivery, template, resource: streamResource(template) };
}

const texts = (stack: Stack) => warnings(stack).map((w) => w.text);

describe('DeliverySource.msk on an S3 delivery stream', () => {
  test('defaults: MSKAsSource, the cluster, the topic, private connectivity with the delivery role, no start time, no SSE', () => {
    const { resource, delivery, stack } = s3();
    expect(resource.Properties.DeliveryStreamType).toBe('MSKAsSource');
    expect(resource.Properties.MSKSourceConfiguration).toEqual({
      MSKClusterARN: CLUSTER,
      TopicName: 'orders.v1',
      AuthenticationConfiguration: { Connectivity: 'PRIVATE', RoleARN: stack.resolve(delivery.role.roleArn) },
    });
    expect(resource.Properties.KinesisStreamSourceConfiguration).toBeUndefined();
    expect(resource.Properties.DeliveryStreamEncryptionConfigurationInput).toBeUndefined();
    expect(resource.Properties.ExtendedS3DestinationConfiguration).toBeDefined();
  });

  test('the role gets exactly the Firehose guide\'s actions, on the cluster, the topic and the cluster\'s groups', () => {
    const { template, resource } = s3();
    const granted = (action: string) => allowing(template, action).map((s) => ({ Action: s.Action, Resource: s.Resource }));
    expect(granted('kafka-cluster:Connect')).toEqual([{
      Action: ['kafka:GetBootstrapBrokers', 'kafka:DescribeCluster', 'kafka:DescribeClusterV2', 'kafka-cluster:Connect'], Resource: CLUSTER,
    }]);
    expect(granted('kafka-cluster:ReadData')).toEqual([{
      Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:DescribeTopicDynamicConfiguration', 'kafka-cluster:ReadData'], Resource: TOPIC_ARN,
    }]);
    expect(granted('kafka-cluster:DescribeGroup')).toEqual([{ Action: ['kafka-cluster:DescribeGroup'], Resource: GROUP_ARN }]);
    // No other kafka action, and no wildcard action.
    const kafka = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: any) => ([] as string[]).concat(s.Action)).filter((a) => a.startsWith('kafka'));
    expect(kafka.sort()).toEqual([
      'kafka-cluster:Connect', 'kafka-cluster:DescribeGroup', 'kafka-cluster:DescribeTopic', 'kafka-cluster:DescribeTopicDynamicConfiguration',
      'kafka-cluster:ReadData', 'kafka:DescribeCluster', 'kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers',
    ]);
    expect(kafka.some((a) => a.includes('*'))).toBe(false);
    // Firehose checks the role when the delivery stream is created: the policy comes first.
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DeliveryRoleDefaultPolicy/)]));
  });

  test('public connectivity and a start time', () => {
    const { resource } = s3({ connectivity: MskConnectivity.PUBLIC, readFromTimestamp: new Date('2024-03-01T12:30:00Z') });
    expect(resource.Properties.MSKSourceConfiguration).toMatchObject({
      AuthenticationConfiguration: { Connectivity: 'PUBLIC' },
      ReadFromTimestamp: '2024-03-01T12:30:00Z',
    });
  });

  test('new Date(0) reads from the earliest record (the epoch, as the Firehose API asks); milliseconds are kept', () => {
    expect(s3({ readFromTimestamp: new Date(0) }).resource.Properties.MSKSourceConfiguration.ReadFromTimestamp).toBe('1970-01-01T00:00:00Z');
    expect(s3({ readFromTimestamp: new Date('2024-03-01T12:30:00.250Z') }).resource.Properties.MSKSourceConfiguration.ReadFromTimestamp).toBe('2024-03-01T12:30:00.250Z');
  });

  test('MskConnectivity.of passes a value through, which aws-cdk-lib\'s CloudFormation validation does not know yet', () => {
    // aws-cdk-lib checks the L1's enum values at synth and reports an unknown one on the console (W3030): the escape
    // hatch is for values the service accepts before aws-cdk-lib's schema has them.
    const { result, output } = consoleErrorOf(() => s3({ connectivity: MskConnectivity.of('PRIVATE_LINK') }));
    expect(result.resource.Properties.MSKSourceConfiguration.AuthenticationConfiguration.Connectivity).toBe('PRIVATE_LINK');
    expect(output).toMatch(/'PRIVATE_LINK' is not one of \['PUBLIC', 'PRIVATE'\][\s\S]*W3030/);
  });

  test('clusterPolicy: a cluster policy for firehose.amazonaws.com, created before the delivery stream, and no warning', () => {
    const { template, resource, stack } = s3({ clusterPolicy: true });
    template.hasResourceProperties('AWS::MSK::ClusterPolicy', {
      ClusterArn: CLUSTER,
      Policy: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'firehose.amazonaws.com' },
          Action: ['kafka:CreateVpcConnection', 'kafka:GetBootstrapBrokers', 'kafka:DescribeCluster', 'kafka:DescribeClusterV2'],
          Resource: CLUSTER,
        }],
      },
    });
    expect(resource.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DeliveryMskClusterPolicy/)]));
    expect(texts(stack).filter((t) => t.includes('cluster policy'))).toEqual([]);
  });

  test('private connectivity without clusterPolicy: a warning says what the cluster policy must allow', () => {
    const { stack } = s3();
    expect(warnings(stack)).toContainEqual({
      path: 'Stack/Delivery',
      text: expect.stringMatching(new RegExp(`^private connectivity to '${CLUSTER}' needs a cluster policy that lets firehose.amazonaws.com call `
        + 'kafka:CreateVpcConnection, kafka:GetBootstrapBrokers, kafka:DescribeCluster, kafka:DescribeClusterV2 on the cluster.*set clusterPolicy: true')),
    });
    expect(Template.fromStack(stack).findResources('AWS::MSK::ClusterPolicy')).toEqual({});
  });

  test('a cluster has one policy: a second clusterPolicy for it is refused; a policy of yours that allows Firehose is used', () => {
    const stack = newStack();
    new S3DeliveryStream(stack, 'First', { source: DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'a', clusterPolicy: true }) });
    expect(errorOf(() => new S3DeliveryStream(stack, 'Second', { source: DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'b', clusterPolicy: true }) }))).toBe(
      `Stack/Second: clusterPolicy: the app already defines the policy of '${CLUSTER}' (Stack/First/MskClusterPolicy), and a cluster has one policy: add `
      + 'kafka:CreateVpcConnection, kafka:GetBootstrapBrokers, kafka:DescribeCluster, kafka:DescribeClusterV2 for firehose.amazonaws.com to it (one policy '
      + 'serves every delivery stream reading the cluster) and leave clusterPolicy out');

    const own = newStack();
    new msk.CfnClusterPolicy(own, 'Mine', {
      clusterArn: CLUSTER,
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'firehose.amazonaws.com' }, Action: ['kafka:CreateVpcConnection'], Resource: CLUSTER }] },
    });
    new S3DeliveryStream(own, 'Delivery', { source: DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders' }) });
    expect(texts(own).filter((t) => t.includes('cluster policy'))).toEqual([]);
    expect(streamResource(Template.fromStack(own)).DependsOn).toContain('Mine');

    const unrelated = newStack();
    new msk.CfnClusterPolicy(unrelated, 'Clients', {
      clusterArn: CLUSTER,
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['kafka:GetBootstrapBrokers'], Resource: CLUSTER }] },
    });
    new S3DeliveryStream(unrelated, 'Delivery', { source: DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders' }) });
    expect(texts(unrelated)).toContainEqual(expect.stringMatching(/needs a cluster policy that lets firehose.amazonaws.com call/));
  });

  test('public connectivity needs no cluster policy: no warning', () => {
    expect(texts(s3({ connectivity: MskConnectivity.PUBLIC }).stack).filter((t) => t.includes('cluster policy'))).toEqual([]);
  });

  test('tokens pass through: a cluster ARN and a topic from parameters', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'ClusterArn').valueAsString;
    const topic = new CfnParameter(stack, 'Topic').valueAsString;
    const { resource, template } = s3({ clusterArn: arn, topicName: topic }, stack);
    expect(resource.Properties.MSKSourceConfiguration).toMatchObject({ MSKClusterARN: { Ref: 'ClusterArn' }, TopicName: { Ref: 'Topic' } });
    const split = { 'Fn::Split': [':cluster/', { Ref: 'ClusterArn' }] };
    expect(allowing(template, 'kafka-cluster:ReadData')[0].Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::Select': [0, split] }, ':topic/', { 'Fn::Select': [1, split] }, '/', { Ref: 'Topic' }]],
    });
    expect(allowing(template, 'kafka-cluster:DescribeGroup')[0].Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::Select': [0, split] }, ':group/', { 'Fn::Select': [1, split] }, '/*']],
    });
  });
});

describe('an MSK cluster of the app', () => {
  const serverless = (stack: Stack, iamOn = true) => new msk.CfnServerlessCluster(stack, 'Serverless', {
    clusterName: 'orders',
    clientAuthentication: { sasl: { iam: { enabled: iamOn } } },
    vpcConfigs: [{ subnetIds: ['subnet-1', 'subnet-2'] }],
  });
  const provisioned = (stack: Stack, props: Partial<msk.CfnClusterProps> = {}) => new msk.CfnCluster(stack, 'Provisioned', {
    clusterName: 'orders',
    kafkaVersion: '3.6.0',
    numberOfBrokerNodes: 2,
    brokerNodeGroupInfo: { clientSubnets: ['subnet-1', 'subnet-2'], instanceType: 'kafka.m5.large' },
    clientAuthentication: { sasl: { iam: { enabled: true } } },
    ...props,
  });

  test('a serverless cluster by its attrArn: the ARN, topic and group ARNs from references', () => {
    const { resource, template } = s3((stack) => ({ clusterArn: serverless(stack).attrArn, clusterPolicy: true }));
    expect(resource.Properties.MSKSourceConfiguration.MSKClusterARN).toEqual({ 'Fn::GetAtt': ['Serverless', 'Arn'] });
    expect(allowing(template, 'kafka-cluster:Connect')[0].Resource).toEqual({ 'Fn::GetAtt': ['Serverless', 'Arn'] });
    template.hasResourceProperties('AWS::MSK::ClusterPolicy', { ClusterArn: { 'Fn::GetAtt': ['Serverless', 'Arn'] } });
  });

  test('a serverless cluster with public connectivity is refused: MSK Serverless has no public brokers', () => {
    expect(errorOf(() => s3((stack) => ({ clusterArn: serverless(stack).attrArn, connectivity: MskConnectivity.PUBLIC }))))
      .toBe('Stack/Delivery: source cluster Stack/Serverless is an MSK Serverless cluster, which has no public bootstrap brokers: use MskConnectivity.PRIVATE');
  });

  test('a cluster without IAM access control is refused', () => {
    expect(errorOf(() => s3((stack) => ({ clusterArn: provisioned(stack, { clientAuthentication: { sasl: { scram: { enabled: true } } } }).attrArn }))))
      .toMatch(/^Stack\/Delivery: source cluster Stack\/Provisioned does not turn on IAM access control \(clientAuthentication.sasl.iam.enabled is undefined\), the only authentication Firehose uses/);
    expect(errorOf(() => s3((stack) => ({ clusterArn: serverless(stack, false).attrArn }))))
      .toMatch(/source cluster Stack\/Serverless does not turn on IAM access control/);
  });

  test('a provisioned cluster without multi-VPC connectivity for IAM: a warning with private connectivity', () => {
    const { stack } = s3((s) => ({ clusterArn: provisioned(s).attrArn, clusterPolicy: true }));
    expect(texts(stack)).toContainEqual(expect.stringMatching(/^source cluster Stack\/Provisioned does not turn on multi-VPC private connectivity for IAM/));
    const on = s3((s) => ({
      clusterArn: provisioned(s, { brokerNodeGroupInfo: { clientSubnets: ['subnet-1', 'subnet-2'], instanceType: 'kafka.m5.large', connectivityInfo: { vpcConnectivity: { clientAuthentication: { sasl: { iam: { enabled: true } } } } } } }).attrArn,
      clusterPolicy: true,
    }));
    expect(texts(on.stack).filter((t) => t.includes('multi-VPC'))).toEqual([]);
  });

  test('a provisioned cluster without public access: a warning with public connectivity, none when it is on', () => {
    const { stack } = s3((s) => ({ clusterArn: provisioned(s).attrArn, connectivity: MskConnectivity.PUBLIC }));
    expect(texts(stack)).toContainEqual(expect.stringMatching(/^source cluster Stack\/Provisioned does not turn on public access \(brokerNodeGroupInfo.connectivityInfo.publicAccess.type is not set\)/));
    const on = s3((s) => ({ clusterArn: provisioned(s, { brokerNodeGroupInfo: { clientSubnets: ['subnet-1', 'subnet-2'], instanceType: 'kafka.m5.large', connectivityInfo: { publicAccess: { type: 'SERVICE_PROVIDED_EIPS' } } } }).attrArn, connectivity: MskConnectivity.PUBLIC }));
    expect(texts(on.stack).filter((t) => t.includes('public access'))).toEqual([]);
  });
});

describe('rules of the MSK source', () => {
  const make = (options: Partial<MskSourceOptions>) => () => DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders', ...options } as MskSourceOptions);

  test('the cluster ARN must be an MSK cluster ARN', () => {
    expect(errorOf(make({ clusterArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders' }))).toBe(
      "DeliverySource.msk: clusterArn 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders' is not an MSK cluster ARN: expected "
      + "'arn:<partition>:kafka:<region>:<12-digit account>:cluster/<cluster name>/<cluster uuid>', the same form for provisioned and serverless clusters");
    expect(errorOf(make({ clusterArn: TOPIC_ARN }))).toMatch(/is not an MSK cluster ARN \(that is a topic ARN: give the cluster ARN and topicName\)/);
    expect(errorOf(make({ clusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/orders' }))).toMatch(/is not an MSK cluster ARN/);
    expect(errorOf(make({ clusterArn: `arn:aws:kafka:eu-west-1:123456789012:cluster/${'a'.repeat(65)}/uuid-1` }))).toMatch(/cluster name 'a{65}', which is not 1 to 64 letters, digits or -/);
    expect(errorOf(make({ clusterArn: 'x'.repeat(513) }))).toBe('DeliverySource.msk: clusterArn must be at most 512 characters, got 513');
    expect(make({ clusterArn: 'arn:aws-cn:kafka:cn-north-1:123456789012:cluster/orders/abc-s1' })).not.toThrow();
  });

  test('the topic name follows Kafka\'s rule', () => {
    expect(errorOf(make({ topicName: 'a'.repeat(250) }))).toBe(`DeliverySource.msk: topicName must be 1 to 249 characters, got 250 ('${'a'.repeat(250)}')`);
    expect(errorOf(make({ topicName: 'orders/v1' }))).toBe("DeliverySource.msk: topicName may only contain letters, digits, ., _ and - (Kafka's topic name rule), got 'orders/v1'");
    expect(errorOf(make({ topicName: '..' }))).toBe("DeliverySource.msk: topicName cannot be '..': Kafka refuses it");
    expect(errorOf(make({ topicName: undefined }))).toBe('DeliverySource.msk: topicName is required, got undefined');
    expect(make({ topicName: 'a'.repeat(249) })).not.toThrow();
    expect(make({ topicName: 'orders_v1.eu-west' })).not.toThrow();
  });

  test('the start time must be a valid Date, not before the epoch', () => {
    expect(errorOf(make({ readFromTimestamp: new Date('yesterday') }))).toMatch(/readFromTimestamp is an invalid Date \(NaN\)/);
    expect(errorOf(make({ readFromTimestamp: new Date(-1000) }))).toBe('DeliverySource.msk: readFromTimestamp 1969-12-31T23:59:59.000Z is before the epoch '
      + '(1970-01-01T00:00:00Z), the earliest position Firehose reads from: give new Date(0) to read from the earliest record');
    expect(errorOf(make({ readFromTimestamp: '2024-01-01' as any }))).toBe("DeliverySource.msk: readFromTimestamp must be a Date, got '2024-01-01'");
  });

  test('a start time in the future is a warning, a past one is not', () => {
    const future = new Date(Date.now() + 86_400_000);
    future.setUTCMilliseconds(0);
    expect(texts(s3({ readFromTimestamp: future }).stack)).toContainEqual(`readFromTimestamp ${future.toISOString().replace('.000Z', 'Z')} is in the future: `
      + 'Firehose skips every record written before it. Give a past time, new Date(0) for the earliest record, or leave it out to read from the time the delivery stream becomes active');
    expect(texts(s3({ readFromTimestamp: new Date('2024-01-01T00:00:00Z') }).stack).filter((t) => t.includes('future'))).toEqual([]);
  });

  test('connectivity must be an MskConnectivity; clusterPolicy is for private connectivity only', () => {
    expect(errorOf(make({ connectivity: 'PUBLIC' as any }))).toMatch(/connectivity must be MskConnectivity.PRIVATE, MskConnectivity.PUBLIC or MskConnectivity.of\(...\), got 'PUBLIC'/);
    expect(errorOf(make({ connectivity: MskConnectivity.PUBLIC, clusterPolicy: true }))).toMatch(/^DeliverySource.msk: clusterPolicy is for MskConnectivity.PRIVATE/);
  });

  test('a cluster in another Region is refused, in another account it is a warning', () => {
    expect(errorOf(() => s3({ clusterArn: CLUSTER.replace('eu-west-1', 'us-east-1') }))).toBe(
      `Stack/Delivery: source cluster '${CLUSTER.replace('eu-west-1', 'us-east-1')}' is in us-east-1, but this stack is in eu-west-1: Firehose reads MSK clusters of its own Region only; deploy the delivery stream in the cluster's Region`);
    const other = CLUSTER.replace('123456789012', '210987654321');
    expect(texts(s3({ clusterArn: other }).stack)).toContainEqual(expect.stringMatching(
      new RegExp(`^source cluster '${other}' is in account 210987654321, but this stack is in 123456789012: the cluster's policy in 210987654321 must allow the delivery role`)));
    expect(texts(s3().stack).filter((t) => t.includes('in account'))).toEqual([]);
  });

  test('an environment-agnostic stack: no Region or account comparison', () => {
    const stack = new Stack(undefined, 'Agnostic');
    expect(() => new S3DeliveryStream(stack, 'Delivery', { source: DeliverySource.msk({ clusterArn: CLUSTER.replace('eu-west-1', 'us-east-1'), topicName: 'orders' }) })).not.toThrow();
  });
});

describe('DeliverySource.msk on the other destinations', () => {
  test('Splunk: the same source configuration, grants and no SSE', () => {
    const stack = newStack();
    const delivery = new SplunkDeliveryStream(stack, 'Delivery', {
      source: DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders.v1', connectivity: MskConnectivity.PUBLIC, readFromTimestamp: new Date(0) }),
      hecEndpoint: 'https://http-inputs-firehose-acme.splunkcloud.com:443',
      hecEndpointType: SplunkEndpointType.EVENT,
      hecToken: secret(stack, 'HecToken'),
    });
    const template = Template.fromStack(stack);
    const resource = streamResource(template);
    expect(resource.Properties).toMatchObject({
      DeliveryStreamType: 'MSKAsSource',
      MSKSourceConfiguration: {
        MSKClusterARN: CLUSTER,
        TopicName: 'orders.v1',
        AuthenticationConfiguration: { Connectivity: 'PUBLIC', RoleARN: stack.resolve(delivery.role.roleArn) },
        ReadFromTimestamp: '1970-01-01T00:00:00Z',
      },
      SplunkDestinationConfiguration: expect.anything(),
    });
    expect(resource.Properties.DeliveryStreamEncryptionConfigurationInput).toBeUndefined();
    expect(allowing(template, 'kafka-cluster:ReadData')[0].Resource).toBe(TOPIC_ARN);
  });

  test('HTTP endpoint: MSKAsSource with the cluster policy', () => {
    const stack = newStack();
    new HttpEndpointDeliveryStream(stack, 'Delivery', { url: 'https://collector.example.com/v1', source: DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders', clusterPolicy: true }) });
    const template = Template.fromStack(stack);
    expect(streamResource(template).Properties.DeliveryStreamType).toBe('MSKAsSource');
    template.resourceCountIs('AWS::MSK::ClusterPolicy', 1);
    expect(streamResource(template).DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^DeliveryMskClusterPolicy/)]));
  });

  test('every delivery construct of the library reads the topic: MSKAsSource, the grants, no SSE, no throttling alarm', () => {
    const stack = newStack();
    // The first creates the cluster's policy, which then serves the others.
    let first = true;
    const source = () => {
      const created = DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders.v1', clusterPolicy: first });
      first = false;
      return created;
    };
    const constructs = [
      new S3DeliveryStream(stack, 'S3', { source: source() }),
      new RedshiftDeliveryStream(stack, 'Redshift', {
        source: source(),
        target: RedshiftTarget.cluster({ endpointAddress: 'c.x.eu-west-1.redshift.amazonaws.com', databaseName: 'd', publiclyAccessible: true }),
        credentials: secret(stack),
        tableName: 't',
      }),
      new OpenSearchDeliveryStream(stack, 'Search', {
        source: source(),
        target: OpenSearchTarget.collection({ collectionEndpoint: 'https://abc.eu-west-1.aoss.amazonaws.com', collectionArn: 'arn:aws:aoss:eu-west-1:123456789012:collection/abc' }),
        indexName: 'orders',
      }),
      new SplunkDeliveryStream(stack, 'Splunk', { source: source(), hecEndpoint: 'https://hec.example.com:443', hecEndpointType: SplunkEndpointType.RAW, hecToken: secret(stack, 'Token') }),
      new HttpEndpointDeliveryStream(stack, 'Http', { source: source(), url: 'https://collector.example.com/v1' }),
      new IcebergDeliveryStream(stack, 'Iceberg', { source: source(), catalog: IcebergCatalog.glueDataCatalog(), tables: [{ database: 'orders', table: 'orders' }] }),
    ];
    const template = Template.fromStack(stack);
    const streams = Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
    expect(streams).toHaveLength(constructs.length);
    for (const ds of streams) {
      expect(ds.Properties.DeliveryStreamType).toBe('MSKAsSource');
      expect(ds.Properties.MSKSourceConfiguration).toMatchObject({ MSKClusterARN: CLUSTER, TopicName: 'orders.v1' });
      expect(ds.Properties.DeliveryStreamEncryptionConfigurationInput).toBeUndefined();
      expect(ds.Properties.KinesisStreamSourceConfiguration).toBeUndefined();
    }
    expect(allowing(template, 'kafka-cluster:ReadData')).toHaveLength(constructs.length);
    template.resourceCountIs('AWS::MSK::ClusterPolicy', 1);
    expect(texts(stack).filter((t) => t.includes('cluster policy'))).toEqual([]);
    for (const ds of streams) expect(ds.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^S3MskClusterPolicy/)]));
    for (const c of constructs) expect(c.alarms!.throttling).toBeUndefined();
  });

  test('the source reports what it is', () => {
    const source = DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders' });
    expect(source.mskSource).toMatchObject({ clusterArn: CLUSTER, topicName: 'orders' });
    expect(source.stream).toBeUndefined();
    expect(DeliverySource.directPut().mskSource).toBeUndefined();
  });
});

test('AwsSolutionsChecks: no unacknowledged finding with an MSK source, literal or from a serverless cluster', () => {
  const findings = nagFindings((app) => {
    const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'eu-west-1' } });
    new S3DeliveryStream(stack, 'Literal', { source: DeliverySource.msk({ clusterArn: CLUSTER, topicName: 'orders', clusterPolicy: true }) });
    const cluster = new msk.CfnServerlessCluster(stack, 'Cluster', {
      clusterName: 'orders', clientAuthentication: { sasl: { iam: { enabled: true } } }, vpcConfigs: [{ subnetIds: ['subnet-1', 'subnet-2'] }],
    });
    new S3DeliveryStream(stack, 'FromCluster', { source: DeliverySource.msk({ clusterArn: cluster.attrArn, topicName: 'orders', clusterPolicy: true }) });
  });
  expect(findings).toEqual([]);
});

test('the consumer groups of a cluster of the app are named by the cluster\'s name, also from another stack', () => {
  const app = new App();
  const clusterStack = new Stack(app, 'Cluster');
  const cluster = new msk.CfnServerlessCluster(clusterStack, 'Serverless', {
    clusterName: 'orders', clientAuthentication: { sasl: { iam: { enabled: true } } }, vpcConfigs: [{ subnetIds: ['subnet-1', 'subnet-2'] }],
  });
  const deliveryStack = new Stack(app, 'Delivery');
  new S3DeliveryStream(deliveryStack, 'Archive', { source: DeliverySource.msk({ clusterArn: cluster.attrArn, topicName: 'orders', clusterPolicy: true }) });
  const template = Template.fromStack(deliveryStack);
  expect(allowing(template, 'kafka-cluster:DescribeGroup')[0].Resource).toEqual({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kafka:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':group/orders/*']],
  });
  expect(streamResource(template).Properties.MSKSourceConfiguration.MSKClusterARN).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Cluster:ExportsOutputFnGetAttServerlessArn/) });
});

test('alarms: freshness and delivery as usual, no throttling alarm (neither ThrottledRecords nor ThrottledGetRecords is about an MSK source)', () => {
  const { delivery, template } = s3();
  expect(delivery.alarms!.throttling).toBeUndefined();
  expect(delivery.alarms!.dataFreshness).toBeDefined();
  const metrics = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.MetricName);
  expect(metrics).toEqual(expect.arrayContaining(['DeliveryToS3.DataFreshness', 'DeliveryToS3.Success']));
  expect(metrics).not.toContain('ThrottledRecords');
  expect(metrics).not.toContain('ThrottledGetRecords');
});
