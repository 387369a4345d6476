import { App, CfnOutput, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  ConsumerCode, DataStream, DeliveryDestinationKind, DeliverySource, LambdaStreamConsumer, PartitionKey, PipelineDashboard, ProducerFunction, S3DeliveryStream,
} from '../../src';

/** The dashboard body as CloudFormation would render it, with references kept as `{ref}` strings. */
function body(stack: Stack): any {
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  const [d] = Object.values<any>(dashboards);
  const parts = d.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  const text = parts.map((p) => typeof p === 'string' ? p : `{${JSON.stringify(p).replace(/"/g, '\'')}}`).join('');
  return JSON.parse(text);
}

const graphs = (b: any) => b.widgets.filter((w: any) => w.type === 'metric' && w.properties.view === 'timeSeries');
const headings = (b: any) => b.widgets.filter((w: any) => w.type === 'text').map((w: any) => w.properties.markdown);
const graph = (b: any, title: string) => {
  const found = graphs(b).filter((w: any) => w.properties.title === title);
  if (found.length === 0) throw new Error(`no graph ${title}: ${graphs(b).map((w: any) => w.properties.title).join(', ')}`);
  return found;
};

function inlineFunction(scope: Stack, id: string) {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] })'),
  });
}

describe('a pipeline dashboard', () => {
  const stack = new Stack(new App(), 'Stack');
  const stream = new DataStream(stack, 'Clicks', { shardCount: 4, retentionPeriod: Duration.hours(48) });
  const producer = new ProducerFunction(stack, 'Producer', { stream, partitionKey: PartitionKey.fromField('userId') });
  const consumer = new LambdaStreamConsumer(stack, 'Consumer', { stream, code: ConsumerCode.fromFunction(inlineFunction(stack, 'Fn')), maxRecordAge: Duration.hours(6) });
  const delivery = new S3DeliveryStream(stack, 'Archive', { source: DeliverySource.kinesisStream(stream) });
  const table = new dynamodb.Table(stack, 'Latest', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const dashboard = new PipelineDashboard(stack, 'Dashboard', { dashboardName: 'clicks-pipeline' });
  dashboard.addStream(stream);
  dashboard.addProducer(producer);
  dashboard.addConsumer(consumer);
  dashboard.addDeliveryStream(delivery.deliveryStream, { destination: DeliveryDestinationKind.S3, freshnessThreshold: Duration.minutes(10) });
  dashboard.addTable(table);
  dashboard.addFlinkApplication('sessions', { sourceStreamNames: ['clicks'], checkpointInterval: Duration.minutes(1) });
  dashboard.addAlarmStatus(stack);
  const b = body(stack);

  test('has a heading per part, in the order they were added', () => {
    expect(headings(b)).toEqual([
      '## Stream Stack/Clicks', '## Producer Stack/Producer', '## Consumer Stack/Consumer', '## Delivery Stack/Archive/DeliveryStream',
      '## Table Stack/Latest', '## Flink application sessions', '## Alarms',
    ]);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'clicks-pipeline' });
  });

  test('draws writes against the shards\' capacity, and iterator age against retention', () => {
    const [bytes] = graph(b, 'Bytes written per second');
    expect(bytes.properties.annotations.horizontal).toEqual([expect.objectContaining({ value: 4 * 1048576, label: '4 shard(s) x 1 MiB/s' })]);
    expect(JSON.stringify(bytes.properties.metrics)).toContain('IncomingBytes');
    expect(JSON.stringify(bytes.properties.metrics)).toContain('StreamName');
    const [records] = graph(b, 'Records written per second');
    expect(records.properties.annotations.horizontal[0].value).toBe(4000);
    const [age] = graph(b, 'Iterator age');
    expect(age.properties.annotations.horizontal[0]).toEqual(expect.objectContaining({ value: 48 * 3_600_000, label: 'retention' }));
    const [calls] = graph(b, 'GetRecords calls per second');
    expect(calls.properties.annotations.horizontal[0].value).toBe(20);
  });

  test('draws the consumer\'s iterator age against its maximum record age, and its failure destination', () => {
    const ages = graph(b, 'Iterator age');
    expect(ages[1].properties.annotations.horizontal[0]).toEqual(expect.objectContaining({ value: 6 * 3_600_000, label: 'maximum record age' }));
    expect(JSON.stringify(graph(b, 'Failure destination')[0].properties.metrics)).toContain('ApproximateNumberOfMessagesVisible');
  });

  test('draws the producer\'s duration against its timeout and its failure queue', () => {
    const [duration] = graph(b, 'Duration');
    expect(duration.properties.annotations.horizontal[0]).toEqual(expect.objectContaining({ value: producer.timeout.toMilliseconds(), label: 'timeout' }));
    expect(JSON.stringify(graph(b, 'Failure queue depth')[0].properties.metrics)).toContain('ApproximateNumberOfMessagesVisible');
  });

  test('draws Firehose freshness against its threshold, success and throttling, with the delivery stream\'s dimension', () => {
    const [freshness] = graph(b, 'Data freshness');
    expect(freshness.properties.annotations.horizontal[0].value).toBe(600);
    const metrics = JSON.stringify(freshness.properties.metrics);
    expect(metrics).toContain('DeliveryToS3.DataFreshness');
    expect(metrics).toContain('DeliveryStreamName');
    expect(JSON.stringify(graph(b, 'Delivery success')[0].properties.metrics)).toContain('DeliveryToS3.Success');
  });

  test('draws DynamoDB throttles and Flink downtime, checkpoints and lag', () => {
    expect(JSON.stringify(graph(b, 'Throttle events')[0].properties.metrics)).toContain('WriteThrottleEvents');
    const lag = JSON.stringify(graph(b, 'Behind its sources')[0].properties.metrics);
    expect(lag).toContain('millisBehindLatest');
    expect(lag).toContain('"Id","clicks"');
    expect(graph(b, 'Checkpoint duration')[0].properties.annotations.horizontal[0].value).toBe(60_000);
    expect(JSON.stringify(graph(b, 'Downtime')[0].properties.metrics)).toContain('"AWS/KinesisAnalytics","downtime","Application","sessions"');
  });

  test('shows the state of every alarm of the stack', () => {
    const status = b.widgets.find((w: any) => w.type === 'alarm');
    const alarms = Object.keys(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(5);
    expect(status.properties.alarms).toHaveLength(alarms.length);
  });

  test('graphs of a row share the 24-unit width', () => {
    const row = graphs(b).slice(0, 5);
    expect(row.map((w: any) => w.width)).toEqual([4, 4, 4, 4, 4]);
  });
});

describe('a dashboard for one stream of aws-cdk-lib', () => {
  test('takes the shard count and retention from options, and draws no capacity line for a token', () => {
    const stack = new Stack(new App(), 'S');
    const shards = new CfnParameter(stack, 'Shards', { type: 'Number' });
    const stream = new kinesis.Stream(stack, 'Plain', { shardCount: 2 });
    const dashboard = new PipelineDashboard(stack, 'D');
    dashboard.addStream(stream, { shardCount: shards.valueAsNumber, retentionPeriod: Duration.days(7) });
    // The parameter is used elsewhere in a real app; here an output keeps CloudFormation's validation quiet.
    new CfnOutput(stack, 'ShardsGiven', { value: shards.valueAsString });
    const b = body(stack);
    expect(graph(b, 'Bytes written per second')[0].properties.annotations?.horizontal ?? []).toEqual([]);
    expect(graph(b, 'Iterator age')[0].properties.annotations.horizontal[0].value).toBe(7 * 24 * 3_600_000);
  });

  test('an on-demand DataStream has no capacity line, and the retention defaults to 24 hours elsewhere', () => {
    const stack = new Stack(new App(), 'O');
    const dashboard = new PipelineDashboard(stack, 'D');
    dashboard.addStream(new DataStream(stack, 'OnDemand'));
    dashboard.addStream(kinesis.Stream.fromStreamArn(stack, 'Imported', 'arn:aws:kinesis:us-east-1:123456789012:stream/other'));
    const b = body(stack);
    expect(graph(b, 'Bytes written per second').map((g: any) => g.properties.annotations?.horizontal ?? [])).toEqual([[], []]);
    expect(graph(b, 'Iterator age')[1].properties.annotations.horizontal[0].value).toBe(24 * 3_600_000);
  });
});

describe('rules', () => {
  test.each([
    ['a name with a space', { dashboardName: 'my dashboard' }, /Stack\/D: dashboardName may only contain letters, digits, - and _, got 'my dashboard'/],
    ['a name of 256 characters', { dashboardName: 'a'.repeat(256) }, /Stack\/D: dashboardName .*255/],
    ['a period of 45 seconds', { period: Duration.seconds(45) }, /Stack\/D: period must be 1, 5, 10 or 30 seconds or a whole number of minutes, got 45 seconds/],
  ])('refuses %s', (_name, props, message) => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new PipelineDashboard(stack, 'D', props)).toThrow(message);
  });

  test('accepts a token name and a period of 10 seconds', () => {
    const stack = new Stack(new App(), 'Stack');
    const name = new CfnParameter(stack, 'Name');
    new PipelineDashboard(stack, 'D', { dashboardName: name.valueAsString, period: Duration.seconds(10) });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: { Ref: 'Name' } });
  });
});

describe('a delivery stream row for a destination that counts the records it refuses', () => {
  test.each([
    ['Iceberg', DeliveryDestinationKind.ICEBERG, 'DeliveryToIceberg.FailedRowCount'],
    ['Snowflake', DeliveryDestinationKind.SNOWFLAKE, 'DeliveryToS3.Records'],
  ])('%s: draws the refused records (a count), not its .Success metric as a share delivered', (_name, destination, failed) => {
    const stack = new Stack(new App(), 'Stack');
    const stream = new DataStream(stack, 'Clicks', { shardCount: 1 });
    const delivery = new S3DeliveryStream(stack, 'Archive', { source: DeliverySource.kinesisStream(stream) });
    const dashboard = new PipelineDashboard(stack, 'Dashboard');
    dashboard.addDeliveryStream(delivery.deliveryStream, { destination });
    const b = body(stack);
    const [refused] = graph(b, 'Refused records');
    expect(JSON.stringify(refused.properties.metrics)).toContain(`"${failed}"`);
    expect(JSON.stringify(refused.properties.metrics)).toContain('"stat":"Sum"');
    expect(refused.properties.annotations ?? {}).not.toHaveProperty('horizontal.0.value', 1);
    expect(graphs(b).map((w: any) => w.properties.title)).not.toContain('Delivery success');
  });

  test('S3 keeps the success share, with its "all delivered" line', () => {
    const stack = new Stack(new App(), 'Stack');
    const delivery = new S3DeliveryStream(stack, 'Archive', { source: DeliverySource.kinesisStream(new DataStream(stack, 'Clicks', { shardCount: 1 })) });
    const dashboard = new PipelineDashboard(stack, 'Dashboard');
    dashboard.addDeliveryStream(delivery.deliveryStream);
    expect(graph(body(stack), 'Delivery success')[0].properties.annotations.horizontal[0]).toMatchObject({ value: 1, label: 'all delivered' });
  });
});
