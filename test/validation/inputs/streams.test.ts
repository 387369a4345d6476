import { Duration, Lazy, Size } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { lazyNumber, numberParam, onlyResource, probe, ProbeCase, stringParam } from './probe';
import { CapacityPlan, DataStream, DataStreamProps, ThroughputRequirements } from '../../../src/streams';

const stream = (props: DataStreamProps | null) => (s: any) => new DataStream(s, 'Clicks', props as DataStreamProps);
const planned = (t: Partial<ThroughputRequirements>) => stream({ throughput: { recordsPerSecond: 1000, averageRecordSize: Size.bytes(500), ...t } });
const alarmsOf = (alarms: DataStreamProps['alarms']) => stream({ shardCount: 2, alarms });
const alarm = (template: any, id: RegExp) => {
  const all = template.findResources('AWS::CloudWatch::Alarm');
  const key = Object.keys(all).find((k) => id.test(k));
  if (!key) throw new Error(`no alarm ${id}`);
  return all[key].Properties;
};

const dataStream: ProbeCase[] = [
  { name: 'shard count 0', build: stream({ shardCount: 0 }), error: /shardCount must be between 1 and 500, got 0/ },
  { name: 'shard count negative', build: stream({ shardCount: -2 }), error: /shardCount must be between 1 and 500, got -2/ },
  { name: 'shard count fraction', build: stream({ shardCount: 1.5 }), error: /shardCount must be a whole number, got 1.5/ },
  { name: 'shard count NaN', build: stream({ shardCount: NaN }), error: /shardCount must be a whole number, got NaN/ },
  { name: 'shard count Infinity', build: stream({ shardCount: Infinity }), error: /shardCount must be a whole number, got Infinity/ },
  { name: 'shard count above the quota', build: stream({ shardCount: 501 }), error: /shardCount must be between 1 and 500, got 501.*accountShardQuota/ },
  { name: 'shard count with on-demand', build: stream({ shardCount: 2, streamMode: kinesis.StreamMode.ON_DEMAND }), error: /shardCount \(2\) cannot be given with on-demand mode/ },
  { name: 'shard count and throughput', build: stream({ shardCount: 2, throughput: { recordsPerSecond: 1, averageRecordSize: Size.bytes(1) } }), error: /shardCount and throughput cannot be given together/ },
  { name: 'retention under 24 hours', build: stream({ retentionPeriod: Duration.hours(23) }), error: /retentionPeriod must be between 24 and 8760 hours, got 23 hours/ },
  { name: 'retention above 365 days', build: stream({ retentionPeriod: Duration.hours(8761) }), error: /retentionPeriod must be between 24 and 8760 hours, got 8761 hours/ },
  { name: 'retention not whole hours', build: stream({ retentionPeriod: Duration.minutes(1530) }), error: /retentionPeriod must be a whole number of hours, got 25.5 hours/ },
  { name: 'retention of a fraction of a second', build: stream({ retentionPeriod: Duration.millis(86_400_000.5) }), error: /retentionPeriod must be a whole number of hours/ },
  { name: 'retention NaN', build: stream({ retentionPeriod: Duration.hours(NaN) }), error: /retentionPeriod must be a whole number of hours, got NaN/ },
  { name: 'retention from a token in days', build: (s) => stream({ retentionPeriod: Duration.days(numberParam(s)) })(s), error: /retentionPeriod comes from a token in another unit than hours.*Duration.hours\(token\)/, token: true },
  { name: 'max record size below 1 MiB', build: stream({ maxRecordSize: Size.kibibytes(1023) }), error: /maxRecordSize must be between 1024 and 10240 KiB, got 1023 KiB/ },
  { name: 'max record size above 10 MiB', build: stream({ maxRecordSize: Size.mebibytes(11) }), error: /maxRecordSize must be between 1024 and 10240 KiB, got 11264 KiB/ },
  { name: 'max record size not whole KiB', build: stream({ maxRecordSize: Size.bytes(1_048_577) }), error: /maxRecordSize must be a whole number of KiB, got 1048577 bytes/ },
  { name: 'max record size from a token', build: (s) => stream({ maxRecordSize: Size.mebibytes(numberParam(s)) })(s), error: /maxRecordSize must be a literal value, got a token.*producers size their requests/, token: true },
  { name: 'warm throughput 0', build: stream({ warmThroughputMiBps: 0 }), error: /warmThroughputMiBps must be between 1 and 10240 MiB\/s, got 0/ },
  { name: 'warm throughput fraction', build: stream({ warmThroughputMiBps: 2.5 }), error: /warmThroughputMiBps must be a whole number, got 2.5/ },
  { name: 'warm throughput above 10 GiB/s', build: stream({ warmThroughputMiBps: 10241 }), error: /warmThroughputMiBps must be between 1 and 10240 MiB\/s, got 10241/ },
  { name: 'warm throughput on a provisioned stream', build: stream({ shardCount: 1, warmThroughputMiBps: 8 }), error: /warmThroughputMiBps \(8\) is only for on-demand streams/ },
  { name: 'empty stream name', build: stream({ streamName: '' }), error: /streamName must be 1 to 128 characters, got 0/ },
  { name: 'stream name with a space', build: stream({ streamName: 'click stream' }), error: /streamName may only contain letters, digits, underscores, periods and hyphens, got 'click stream'/ },
  { name: 'stream name of 129 characters', build: stream({ streamName: 'a'.repeat(129) }), error: /streamName must be 1 to 128 characters, got 129/ },
  { name: 'stream name not a string (JavaScript)', build: stream({ streamName: 42 as unknown as string }), error: /streamName must be a string, got 42/ },
  { name: 'two streams with one name', build: (s) => { new DataStream(s, 'A', { streamName: 'clicks' }); new DataStream(s, 'B', { streamName: 'clicks' }); }, error: /Stack\/B: streamName 'clicks' is already used by Stack\/A in this stack/ },
  { name: 'a stream named like an aws-cdk-lib stream', build: (s) => { new kinesis.Stream(s, 'A', { streamName: 'clicks' }); new DataStream(s, 'B', { streamName: 'clicks' }); }, error: /streamName 'clicks' is already used by Stack\/A/ },
  { name: 'account shard quota 0', build: stream({ accountShardQuota: 0 }), error: /accountShardQuota must be between 1 and/ },
  { name: 'account shard quota fraction', build: stream({ accountShardQuota: 10.5 }), error: /accountShardQuota must be a whole number, got 10.5/ },
  { name: 'account shard quota from a token', build: (s) => stream({ accountShardQuota: numberParam(s) })(s), error: /accountShardQuota must be a literal value, got a token/, token: true },
  { name: 'encryption key without KMS encryption', build: (s) => stream({ encryptionKey: new kms.Key(s, 'K'), encryption: kinesis.StreamEncryption.MANAGED })(s), error: /encryptionKey is given, so encryption must be StreamEncryption.KMS/ },
  { name: 'props null (JavaScript)', build: stream(null), error: /props are required, got null/ },
  { name: 'props a number (JavaScript)', build: stream(3 as unknown as DataStreamProps), error: /props are required, got 3/ },
];
dataStream.push(
  {
    name: 'shard count from a parameter reaches the stream and the write-utilization expression as a reference',
    token: true,
    build: (s) => stream({ shardCount: numberParam(s) })(s),
    check: (t) => {
      expect(onlyResource(t, 'AWS::Kinesis::Stream').ShardCount).toEqual({ Ref: 'N' });
      const expression = JSON.stringify(alarm(t, /WriteUtilization/).Metrics.find((m: any) => m.Expression).Expression);
      expect(expression).toContain('{"Ref":"N"}');
      expect(expression).toContain('62914560 *');
      expect(expression).toContain('60000 *');
    },
  },
  {
    name: 'shard count from Lazy.number resolves in the expression',
    token: true,
    build: stream({ shardCount: lazyNumber(3) }),
    check: (t) => {
      expect(onlyResource(t, 'AWS::Kinesis::Stream').ShardCount).toBe(3);
      expect(alarm(t, /WriteUtilization/).Metrics.find((m: any) => m.Expression).Expression).toBe('100 * MAX([bytes / (62914560 * 3), records / (60000 * 3)])');
    },
  },
  {
    name: 'literal shard count: the expression has the capacity as one number',
    build: stream({ shardCount: 2 }),
    check: (t) => expect(alarm(t, /WriteUtilization/).Metrics.find((m: any) => m.Expression).Expression).toBe('100 * MAX([bytes / 125829120, records / 120000])'),
  },
  {
    name: 'retention from a parameter in hours',
    token: true,
    build: (s) => stream({ retentionPeriod: Duration.hours(numberParam(s)) })(s),
    check: (t) => {
      expect(onlyResource(t, 'AWS::Kinesis::Stream').RetentionPeriodHours).toEqual({ Ref: 'N' });
      expect(alarm(t, /IteratorAge/).Threshold).toBe(3_600_000);
    },
  },
  { name: 'retention of 7 days', build: stream({ retentionPeriod: Duration.days(7) }), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').RetentionPeriodHours).toBe(168) },
  { name: 'stream name from a parameter', token: true, build: (s) => stream({ streamName: stringParam(s) })(s), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').Name).toEqual({ Ref: 'S' }) },
  { name: 'warm throughput from a parameter', token: true, build: (s) => stream({ warmThroughputMiBps: numberParam(s) })(s), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').WarmThroughputMiBps).toEqual({ Ref: 'N' }) },
  { name: 'max record size of 2 MiB', build: stream({ maxRecordSize: Size.mebibytes(2) }), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').MaxRecordSizeInKiB).toBe(2048) },
  { name: 'shard count at the quota', build: stream({ shardCount: 500 }), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').ShardCount).toBe(500) },
  { name: 'a raised quota', build: stream({ shardCount: 800, accountShardQuota: 1000 }), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').ShardCount).toBe(800) },
  { name: 'two streams with different names', build: (s) => { new DataStream(s, 'A', { streamName: 'a' }); new DataStream(s, 'B', { streamName: 'b' }); } },
  { name: 'no props', build: (s) => new DataStream(s, 'Clicks'), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').StreamModeDetails).toEqual({ StreamMode: 'ON_DEMAND' }) },
);

const plan: ProbeCase[] = [
  { name: 'records per second 0', build: planned({ recordsPerSecond: 0 }), error: /throughput.recordsPerSecond must be greater than 0 records\/s, got 0/ },
  { name: 'records per second negative', build: planned({ recordsPerSecond: -10 }), error: /throughput.recordsPerSecond must be greater than 0 records\/s, got -10/ },
  { name: 'records per second NaN', build: planned({ recordsPerSecond: NaN }), error: /throughput.recordsPerSecond must be greater than 0 records\/s, got NaN/ },
  { name: 'records per second Infinity', build: planned({ recordsPerSecond: Infinity }), error: /throughput.recordsPerSecond must be greater than 0 records\/s, got Infinity/ },
  { name: 'records per second from a token', token: true, build: (s) => planned({ recordsPerSecond: numberParam(s) })(s), error: /throughput.recordsPerSecond must be a literal value, got a token.*set shardCount/ },
  { name: 'records per second from Lazy', token: true, build: planned({ recordsPerSecond: Lazy.number({ produce: () => 10 }) }), error: /throughput.recordsPerSecond must be a literal value/ },
  { name: 'record size 0', build: planned({ averageRecordSize: Size.bytes(0) }), error: /throughput.averageRecordSize must be greater than 0 bytes, got 0 bytes/ },
  { name: 'record size NaN', build: planned({ averageRecordSize: Size.bytes(NaN) }), error: /throughput.averageRecordSize must be greater than 0 bytes, got NaN/ },
  { name: 'record size from a token', token: true, build: (s) => planned({ averageRecordSize: Size.kibibytes(numberParam(s)) })(s), error: /throughput.averageRecordSize must be a literal value, got a token/ },
  { name: 'record size above the maximum record size', build: planned({ averageRecordSize: Size.mebibytes(2) }), error: /throughput.averageRecordSize is 2,097,152 bytes, above the stream's maximum record size of 1,048,576 bytes/ },
  { name: 'average rate above the peak', build: planned({ averageRecordsPerSecond: 2000 }), error: /throughput.averageRecordsPerSecond \(2,000\) cannot exceed the peak recordsPerSecond \(1,000\)/ },
  { name: 'average rate 0', build: planned({ averageRecordsPerSecond: 0 }), error: /throughput.averageRecordsPerSecond must be greater than 0/ },
  { name: 'average rate from a token', token: true, build: (s) => planned({ averageRecordsPerSecond: numberParam(s) })(s), error: /throughput.averageRecordsPerSecond must be a literal value/ },
  { name: 'headroom below 1', build: planned({ headroom: 0.5 }), error: /throughput.headroom must be between 1 and 10, got 0.5/ },
  { name: 'headroom above 10', build: planned({ headroom: 11 }), error: /throughput.headroom must be between 1 and 10, got 11/ },
  { name: 'headroom NaN', build: planned({ headroom: NaN }), error: /throughput.headroom must be between 1 and 10, got NaN/ },
  { name: 'headroom from a token', token: true, build: (s) => planned({ headroom: numberParam(s) })(s), error: /throughput.headroom must be a literal value/ },
  { name: 'shared consumers negative', build: planned({ sharedThroughputConsumers: -1 }), error: /throughput.sharedThroughputConsumers must be between 0 and/ },
  { name: 'shared consumers fraction', build: planned({ sharedThroughputConsumers: 1.5 }), error: /throughput.sharedThroughputConsumers must be a whole number, got 1.5/ },
  { name: 'shared consumers from a token', token: true, build: (s) => planned({ sharedThroughputConsumers: numberParam(s) })(s), error: /throughput.sharedThroughputConsumers must be a literal value/ },
  { name: 'enhanced fan-out consumers 21', build: planned({ enhancedFanOutConsumers: 21 }), error: /throughput.enhancedFanOutConsumers must be between 0 and 20, got 21/ },
  { name: 'enhanced fan-out consumers fraction', build: planned({ enhancedFanOutConsumers: 0.5 }), error: /throughput.enhancedFanOutConsumers must be a whole number, got 0.5/ },
  { name: 'throughput above the quota', build: planned({ recordsPerSecond: 1_000_000 }), error: /the declared throughput needs 1,250 shards .* above the account shard quota of 500/ },
  { name: 'records per second missing (JavaScript)', build: planned({ recordsPerSecond: undefined }), error: /throughput.recordsPerSecond is required, got undefined/ },
  { name: 'record size missing (JavaScript)', build: stream({ throughput: { recordsPerSecond: 10 } as ThroughputRequirements }), error: /throughput.averageRecordSize is required, got undefined/ },
  { name: 'CapacityPlan.fromThroughput without requirements (JavaScript)', build: () => CapacityPlan.fromThroughput(undefined as unknown as ThroughputRequirements), error: /^CapacityPlan: throughput is required, got undefined/ },
  { name: 'CapacityPlan.fromThroughput from a token', token: true, build: (s) => CapacityPlan.fromThroughput({ recordsPerSecond: numberParam(s), averageRecordSize: Size.bytes(100) }), error: /^CapacityPlan: throughput.recordsPerSecond must be a literal value/ },
  { name: 'CapacityPlan.fromThroughput with a token retention', token: true, build: (s) => CapacityPlan.fromThroughput({ recordsPerSecond: 10, averageRecordSize: Size.bytes(100) }, { retentionHours: numberParam(s) }), error: /retentionHours must be a literal value/ },
  { name: 'a fractional average record size is planned', build: planned({ averageRecordSize: Size.bytes(400.5) }), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').ShardCount).toBe(2) },
  { name: 'a plan of 2 shards', build: planned({}), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::Stream').ShardCount).toBe(2) },
];

const alarms: ProbeCase[] = [
  { name: 'period of 45 seconds', build: alarmsOf({ iteratorAge: { period: Duration.seconds(45) } }), error: /alarms.iteratorAge.period must be 10 or 30 seconds or a whole number of minutes \(what a CloudWatch alarm accepts\), got 45 seconds/ },
  { name: 'period of 20 seconds', build: alarmsOf({ writeThrottling: { period: Duration.seconds(20) } }), error: /alarms.writeThrottling.period must be 10 or 30 seconds or a whole number of minutes.*got 20 seconds/ },
  { name: 'period of 0 seconds', build: alarmsOf({ readThrottling: { period: Duration.seconds(0) } }), error: /alarms.readThrottling.period must be 10 or 30 seconds.*got 0 seconds/ },
  { name: 'period of 1.5 seconds', build: alarmsOf({ iteratorAge: { period: Duration.millis(1500) } }), error: /alarms.iteratorAge.period must be a whole number of seconds, got 1.5 seconds/ },
  { name: 'period from a token', token: true, build: (s) => alarmsOf({ iteratorAge: { period: Duration.seconds(numberParam(s)) } })(s), error: /alarms.iteratorAge.period must be a literal value, got a token/ },
  { name: 'evaluation periods 0', build: alarmsOf({ iteratorAge: { evaluationPeriods: 0 } }), error: /alarms.iteratorAge.evaluationPeriods must be between 1 and 100, got 0/ },
  { name: 'evaluation periods fraction', build: alarmsOf({ iteratorAge: { evaluationPeriods: 2.5 } }), error: /alarms.iteratorAge.evaluationPeriods must be a whole number, got 2.5/ },
  { name: 'evaluation periods NaN', build: alarmsOf({ iteratorAge: { evaluationPeriods: NaN } }), error: /alarms.iteratorAge.evaluationPeriods must be a whole number, got NaN/ },
  { name: 'evaluation periods 101', build: alarmsOf({ iteratorAge: { evaluationPeriods: 101 } }), error: /alarms.iteratorAge.evaluationPeriods must be between 1 and 100, got 101/ },
  { name: 'datapoints above evaluation periods', build: alarmsOf({ iteratorAge: { evaluationPeriods: 3, datapointsToAlarm: 4 } }), error: /alarms.iteratorAge.datapointsToAlarm must be between 1 and 3, got 4. It cannot exceed evaluationPeriods/ },
  { name: 'datapoints 0', build: alarmsOf({ iteratorAge: { datapointsToAlarm: 0 } }), error: /alarms.iteratorAge.datapointsToAlarm must be between 1 and 5, got 0/ },
  { name: 'window above a day with 15-minute periods', build: alarmsOf({ iteratorAge: { period: Duration.minutes(15), evaluationPeriods: 97 } }), error: /alarms.iteratorAge: period x evaluationPeriods is 900 x 97 = 87300 seconds, above CloudWatch's limit of 86400 seconds/ },
  { name: 'window above 7 days with 2-hour periods', build: alarmsOf({ writeUtilization: { period: Duration.hours(2), evaluationPeriods: 85 } }), error: /alarms.writeUtilization: period x evaluationPeriods is 7200 x 85 = 612000 seconds, above CloudWatch's limit of 604800 seconds \(7 days\)/ },
  { name: 'iterator age threshold at the retention', build: alarmsOf({ iteratorAge: { threshold: Duration.hours(24) } }), error: /alarms.iteratorAge.threshold must be above 0 and shorter than the retention period of 24 hours/ },
  { name: 'iterator age threshold 0', build: alarmsOf({ iteratorAge: { threshold: Duration.seconds(0) } }), error: /alarms.iteratorAge.threshold must be above 0/ },
  { name: 'iterator age threshold NaN', build: alarmsOf({ iteratorAge: { threshold: Duration.minutes(NaN) } }), error: /alarms.iteratorAge.threshold must be a finite duration, got NaN ms/ },
  { name: 'throttling threshold above 100%', build: alarmsOf({ writeThrottling: { thresholdPercent: 101 } }), error: /alarms.writeThrottling.thresholdPercent must be between 0 and 100 %, got 101 %/ },
  { name: 'throttling threshold NaN', build: alarmsOf({ readThrottling: { thresholdPercent: NaN } }), error: /alarms.readThrottling.thresholdPercent must be between 0 and 100 %, got NaN/ },
  { name: 'utilization threshold 0', build: alarmsOf({ writeUtilization: { thresholdPercent: 0 } }), error: /alarms.writeUtilization.thresholdPercent must be between 1 and 100 %, got 0 %/ },
  { name: '10-second periods', build: alarmsOf({ iteratorAge: { period: Duration.seconds(10) } }), check: (t) => expect(alarm(t, /IteratorAge/).Period).toBe(10) },
  { name: '30-second periods', build: alarmsOf({ iteratorAge: { period: Duration.seconds(30) } }), check: (t) => expect(alarm(t, /IteratorAge/).Period).toBe(30) },
  { name: 'a day of 15-minute periods', build: alarmsOf({ iteratorAge: { period: Duration.minutes(15), evaluationPeriods: 96 } }), check: (t) => expect(alarm(t, /IteratorAge/).EvaluationPeriods).toBe(96) },
  { name: '100 hourly periods', build: alarmsOf({ iteratorAge: { period: Duration.hours(1), evaluationPeriods: 100 } }), check: (t) => expect(alarm(t, /IteratorAge/).Period).toBe(3600) },
  { name: 'evaluation periods from a parameter', token: true, build: (s) => alarmsOf({ iteratorAge: { evaluationPeriods: numberParam(s) } })(s), check: (t) => expect(alarm(t, /IteratorAge/).EvaluationPeriods).toEqual({ Ref: 'N' }) },
  { name: 'iterator age threshold from a parameter', token: true, build: (s) => alarmsOf({ iteratorAge: { threshold: Duration.millis(numberParam(s)) } })(s), check: (t) => expect(alarm(t, /IteratorAge/).Threshold).toEqual({ Ref: 'N' }) },
  { name: 'throttling threshold from a parameter', token: true, build: (s) => alarmsOf({ writeThrottling: { thresholdPercent: numberParam(s) } })(s), check: (t) => expect(alarm(t, /WriteThrottling/).Threshold).toEqual({ Ref: 'N' }) },
];

const fanOut: ProbeCase[] = [
  { name: 'two consumers with one name', build: (s) => { const d = new DataStream(s, 'Clicks'); d.addEnhancedFanOutConsumer('A', { consumerName: 'app' }); d.addEnhancedFanOutConsumer('B', { consumerName: 'app' }); }, error: /Stack\/Clicks\/B: consumerName 'app' is already taken by Stack\/Clicks\/A/ },
  { name: 'consumer name with a slash', build: (s) => new DataStream(s, 'Clicks').addEnhancedFanOutConsumer('A', { consumerName: 'a/b' }), error: /consumerName may only contain letters, digits, underscores, periods and hyphens, got 'a\/b'/ },
  { name: 'empty consumer name', build: (s) => new DataStream(s, 'Clicks').addEnhancedFanOutConsumer('A', { consumerName: '' }), error: /consumerName must be 1 to 128 characters, got 0/ },
  { name: 'a 21st consumer', build: (s) => { const d = new DataStream(s, 'Clicks'); for (let i = 0; i < 21; i++) d.addEnhancedFanOutConsumer(`C${i}`); }, error: /cannot register enhanced fan-out consumer number 21: a stream has at most 20/ },
  { name: 'two consumers with their own names', build: (s) => { const d = new DataStream(s, 'Clicks'); d.addEnhancedFanOutConsumer('A', { consumerName: 'a' }); d.addEnhancedFanOutConsumer('B', { consumerName: 'b' }); } },
  { name: 'consumer name from a parameter', token: true, build: (s) => new DataStream(s, 'Clicks').addEnhancedFanOutConsumer('A', { consumerName: stringParam(s) }), check: (t) => expect(onlyResource(t, 'AWS::Kinesis::StreamConsumer').ConsumerName).toEqual({ Ref: 'S' }) },
];

probe('DataStream', dataStream);
probe('CapacityPlan (throughput)', plan);
probe('DataStream alarms', alarms);
probe('enhanced fan-out consumers', fanOut);
