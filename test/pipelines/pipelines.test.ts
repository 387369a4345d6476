import { App, CfnParameter, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LogIngestionPipeline, OpenSearchTarget, RecordFilter, TelemetryPipeline } from '../../src';
import { nagFindings } from '../support/nag';

let n = 0;
const newStack = (region?: string) => new Stack(new App(), `P${n++}`, region ? { env: { region, account: '123456789012' } } : undefined);
const infos = (stack: Stack) => Annotations.fromStack(stack).findInfo('*', Match.anyValue()).map((m) => String(m.entry.data));
const warnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((m) => String(m.entry.data));
const deliveryConfigs = (t: Template) => Object.values<any>(t.findResources('AWS::KinesisFirehose::DeliveryStream')).map((r) => r.Properties);

describe('LogIngestionPipeline, direct PUT', () => {
  const stack = newStack('us-east-1');
  const logs = new LogIngestionPipeline(stack, 'Logs', {
    throughput: { recordsPerSecond: 2000, averageRecordsPerSecond: 500, averageRecordSize: Size.bytes(800) },
    filters: [RecordFilter.fieldNotEquals('level', 'DEBUG')],
    dropFields: ['password'],
    expectedServiceCount: 20,
  });
  const t = Template.fromStack(stack);

  test('lands GZIP JSON Lines partitioned by service and date through the bundled transform', () => {
    const [config] = deliveryConfigs(t);
    expect(config.DeliveryStreamType).toBe('DirectPut');
    const s3 = config.ExtendedS3DestinationConfiguration;
    expect(s3.Prefix).toBe('logs/service=!{partitionKeyFromLambda:service}/date=!{timestamp:yyyy-MM-dd}/');
    expect(s3.ErrorOutputPrefix).toBe('logs-errors/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/');
    expect(s3.CompressionFormat).toBe('GZIP');
    expect(s3.FileExtension).toBe('.jsonl.gz');
    expect(s3.DynamicPartitioningConfiguration).toEqual(expect.objectContaining({ Enabled: true }));
    expect(logs.deliveryStream).toBe(logs.archive.deliveryStream);
    expect(logs.stream).toBeUndefined();
  });

  test('derives buffering from the throughput: 64 MiB, and the time to fill it per service within 60 to 900 s', () => {
    const s3 = deliveryConfigs(t)[0].ExtendedS3DestinationConfiguration;
    // 500 records/s x 800 bytes / 20 services = 20,000 bytes/s per partition: 64 MiB take 3,356 s, capped at 900.
    expect(s3.BufferingHints).toEqual({ SizeInMBs: 64, IntervalInSeconds: 900 });
  });

  test('sends every alarm to one encrypted topic and draws one dashboard', () => {
    expect(logs.alarmTopic).toBeDefined();
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    const topic = { Ref: stack.getLogicalId(logs.alarmTopic!.topic.node.defaultChild as sns.CfnTopic) };
    const alarms = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(2);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([topic]);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('prints one plan with a line per part, each with its prices, and a total', () => {
    const [summary] = infos(stack).filter((m) => m.startsWith('Pipeline plan'));
    expect(summary).toContain('Pipeline plan for 2,000 records/s at peak, 500 on average, 800 bytes a record:');
    expect(logs.plan.lines.map((l) => l.resource)).toEqual(['Firehose delivery stream', 'S3 bucket (Standard)', 'CloudWatch alarms and dashboard']);
    const firehoseLine = logs.plan.lines[0];
    // 500 records/s x 2,628,000 s x 5 KiB (800 bytes rounded up) = 6,265 GiB billed at $0.029.
    expect(firehoseLine.basis).toContain('ingestion 6,265.6 GB billed in 5 KB increments x $0.029');
    expect(firehoseLine.basis).toContain('dynamic partitioning');
    const sum = logs.plan.lines.reduce((s, l) => s + l.monthlyUsd, 0);
    expect(logs.plan.monthlyUsd).toBeCloseTo(sum, 2);
    expect(summary).toContain(`estimated monthly total: $${logs.plan.monthlyUsd.toFixed(2)}`);
    expect(logs.plan.alternatives).toEqual([]);
  });

  test('is cdk-nag clean', () => {
    expect(nagFindings((app) => {
      const s = new Stack(app, 'Nag');
      new LogIngestionPipeline(s, 'Logs', { throughput: { recordsPerSecond: 100, averageRecordSize: Size.bytes(500) } });
    })).toEqual([]);
  });
});

describe('LogIngestionPipeline through a stream, with OpenSearch', () => {
  const stack = newStack();
  const domain = opensearch.Domain.fromDomainEndpoint(stack, 'Domain', 'https://search-logs-abc.us-east-1.es.amazonaws.com');
  const logs = new LogIngestionPipeline(stack, 'Logs', {
    throughput: { recordsPerSecond: 3000, averageRecordSize: Size.bytes(1024) },
    throughStream: true,
    openSearch: { target: OpenSearchTarget.domain(domain), indexName: 'logs' },
    pricing: { firehoseIngestGb: 0.05 },
  });
  const t = Template.fromStack(stack);

  test('plans the stream for two shared readers and points both delivery streams at it', () => {
    expect(logs.stream!.capacityPlan!.shardCount).toBe(4);
    const configs = deliveryConfigs(t);
    expect(configs).toHaveLength(2);
    for (const c of configs) expect(c.DeliveryStreamType).toBe('KinesisStreamAsSource');
    expect(logs.stream!.sharedThroughputConsumerCount).toBe(2);
  });

  test('uses the prices given and lists the stream and both deliveries in the plan', () => {
    expect(logs.plan.lines.map((l) => l.resource)).toEqual([
      'Kinesis data stream (provisioned)', 'Firehose delivery stream', 'S3 bucket (Standard)', 'Firehose delivery stream', 'CloudWatch alarms and dashboard',
    ]);
    expect(logs.plan.lines[1].basis).toContain('x $0.05');
    expect(logs.plan.lines[0].capacity).toMatch(/^4 shard\(s\), decided by/);
  });
});

describe('LogIngestionPipeline rules', () => {
  const throughput = { recordsPerSecond: 100, averageRecordSize: Size.bytes(500) };
  test.each([
    ['no throughput', {}, /P\d+\/Logs: throughput is required/],
    ['a peak of 0', { throughput: { ...throughput, recordsPerSecond: 0 } }, /throughput.recordsPerSecond must be a finite number above 0, got 0/],
    ['a peak of NaN', { throughput: { ...throughput, recordsPerSecond: NaN } }, /throughput.recordsPerSecond must be a finite number above 0, got NaN/],
    ['an average above the peak', { throughput: { ...throughput, averageRecordsPerSecond: 200 } }, /averageRecordsPerSecond \(200\) cannot exceed recordsPerSecond \(100\)/],
    ['OpenSearch without a stream', { throughput, openSearch: { target: {} as any, indexName: 'x' } }, /openSearch needs throughStream: true/],
    ['a nested service field', { throughput, serviceField: 'meta.service' }, /serviceField must be a top-level field name .* got 'meta.service'/],
    ['600 services', { throughput, expectedServiceCount: 600 }, /expectedServiceCount must be between 1 and 500, got 600/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => new LogIngestionPipeline(newStack(), 'Logs', props as any)).toThrow(message);
  });

  test('refuses a token throughput, which it needs to plan at synth time', () => {
    const stack = newStack();
    const rate = new CfnParameter(stack, 'Rate', { type: 'Number' });
    expect(() => new LogIngestionPipeline(stack, 'Logs', { throughput: { recordsPerSecond: rate.valueAsNumber, averageRecordSize: Size.bytes(1) } }))
      .toThrow(/throughput.recordsPerSecond must be a literal number, got a token/);
  });

  test('warns when the peak exceeds the direct PUT quota, with the lower quota where the Region is unknown', () => {
    const stack = newStack();
    new LogIngestionPipeline(stack, 'Logs', { throughput: { recordsPerSecond: 2000, averageRecordSize: Size.kibibytes(1) } });
    expect(warnings(stack).join('\n')).toMatch(/peak of 2,048,000 bytes\/s .* exceeds a direct PUT delivery stream's default quota in a Region the stack does not name .*1,048,576 bytes\/s/);
    const east = newStack('us-east-1');
    new LogIngestionPipeline(east, 'Logs', { throughput: { recordsPerSecond: 2000, averageRecordSize: Size.kibibytes(1) } });
    expect(warnings(east).filter((w) => w.includes('direct PUT'))).toEqual([]);
  });

  test('without real-time needs, the plan says what Firehose or SQS alone would cost', () => {
    const stack = newStack();
    const logs = new LogIngestionPipeline(stack, 'Logs', { throughput: { ...throughput, realTime: false }, throughStream: true });
    expect(logs.plan.alternatives.map((a) => a.resource)).toEqual(['Firehose direct PUT to S3 (batch analytics)', 'SQS standard queue with a Lambda consumer (work queue)']);
    expect(logs.plan.summary).toContain('no real-time processing is declared (realTime: false)');
    // Direct PUT already is Firehose alone.
    const direct = new LogIngestionPipeline(newStack(), 'Logs', { throughput: { ...throughput, realTime: false } });
    expect(direct.plan.alternatives).toEqual([]);
  });

  test('sends alarms to the actions given, and creates no topic', () => {
    const stack = newStack();
    const mine = new sns.Topic(stack, 'Mine');
    const logs = new LogIngestionPipeline(stack, 'Logs', { throughput, alarmActions: [new cwActions.SnsAction(mine)], dashboard: false });
    expect(logs.alarmTopic).toBeUndefined();
    expect(logs.dashboard).toBeUndefined();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    for (const a of Object.values<any>(t.findResources('AWS::CloudWatch::Alarm'))) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(mine.node.defaultChild as sns.CfnTopic) }]);
    }
  });
});

describe('TelemetryPipeline', () => {
  const stack = newStack();
  const telemetry = new TelemetryPipeline(stack, 'Telemetry', {
    throughput: { recordsPerSecond: 2500, averageRecordsPerSecond: 2000, averageRecordSize: Size.bytes(350) },
    versionField: 'timestamp',
    sinkParallelizationFactor: 2,
  });
  const t = Template.fromStack(stack);

  test('plans the stream from the throughput for its two readers', () => {
    // 2,500 records/s x 1.25 headroom = 3,125 records/s: 4 shards of 1,000.
    expect(telemetry.stream.shardCount).toBe(4);
    t.hasResourceProperties('AWS::Kinesis::Stream', { ShardCount: 4, RetentionPeriodHours: 24 });
  });

  test('partitions by device id and keys the latest state by it', () => {
    const fns = Object.values<any>(t.findResources('AWS::Lambda::Function'));
    const producer = fns.find((f) => f.Properties.Environment?.Variables?.PARTITION_KEY_PATH);
    expect(producer.Properties.Environment.Variables.PARTITION_KEY_PATH).toBe('deviceId');
    t.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'deviceId', KeyType: 'HASH' }] });
    const sink = fns.find((f) => f.Properties.Environment?.Variables?.SINK_TABLE_NAME);
    expect(sink.Properties.Environment.Variables).toEqual(expect.objectContaining({ SINK_PARTITION_KEY_FIELD: 'deviceId', SINK_VERSION_FIELD: 'timestamp' }));
  });

  test('passes the throughput on: sink concurrency is shards x parallelization, the API throttle follows the peak', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ParallelizationFactor: 2 });
    expect(telemetry.sinkConcurrency).toBe(8);
    // 2,500 readings/s at 25 a request = 100 requests/s at the peak: throttled at twice that.
    t.hasResourceProperties('AWS::ApiGateway::Stage', { MethodSettings: Match.arrayWith([Match.objectLike({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 })]) });
  });

  test('archives every reading to S3 by date and hour', () => {
    const archive = deliveryConfigs(t).find((c) => c.ExtendedS3DestinationConfiguration.Prefix?.startsWith('telemetry/'));
    expect(archive.DeliveryStreamType).toBe('KinesisStreamAsSource');
    expect(archive.ExtendedS3DestinationConfiguration.Prefix).toBe('telemetry/date=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/');
    expect(archive.ExtendedS3DestinationConfiguration.CompressionFormat).toBe('GZIP');
  });

  test('has a plan line per part and a dashboard row for each', () => {
    expect(telemetry.plan.lines.map((l) => l.resource)).toEqual([
      'API Gateway REST API', 'Lambda function (arm64)', 'Kinesis data stream (provisioned)', 'Lambda function (arm64)',
      'DynamoDB table (on-demand)', 'Firehose delivery stream', 'S3 bucket (Standard)', 'CloudWatch alarms and dashboard',
    ]);
    expect(telemetry.plan.lines[3].capacity).toBe('concurrency 8 (4 shard(s) x parallelization factor 2)');
    // 2,000 writes/s x 2,628,000 s x 1 unit = 5,256 million write request units at $0.625.
    expect(telemetry.plan.lines[4].monthlyUsd).toBeCloseTo(3285, 0);
    const body = JSON.stringify(Object.values<any>(t.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const heading of ['## Stream', '## Producer', '## Consumer', '## Table', '## Delivery', '## Alarms of the pipeline']) expect(body).toContain(heading);
  });

  test('warns when the peak needs more write units than a new on-demand table serves at once', () => {
    const s = newStack();
    new TelemetryPipeline(s, 'T', { throughput: { recordsPerSecond: 5000, averageRecordSize: Size.bytes(300) } });
    expect(warnings(s).join('\n')).toContain('the peak needs 5,000 write units/s, above the 4,000 a new on-demand table serves at once');
  });

  test.each([
    ['a parallelization factor of 11', { sinkParallelizationFactor: 11 }, /sinkParallelizationFactor must be between 1 and 10, got 11/],
    ['more events per request on average than at most', { maxEventsPerRequest: 10, averageEventsPerRequest: 20 }, /averageEventsPerRequest must be between 1 and 10, got 20/],
  ])('refuses %s', (_name, props, message) => {
    expect(() => new TelemetryPipeline(newStack(), 'T', { throughput: { recordsPerSecond: 10, averageRecordSize: Size.bytes(100) }, ...props })).toThrow(message);
  });

  test('is cdk-nag clean', () => {
    expect(nagFindings((app) => {
      const s = new Stack(app, 'Nag');
      new TelemetryPipeline(s, 'T', { throughput: { recordsPerSecond: 100, averageRecordSize: Size.bytes(300) }, retentionPeriod: Duration.days(2) });
    })).toEqual([]);
  });
});
