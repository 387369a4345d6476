import { Duration, Size, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { errorOf, newStack } from './support';
import {
  DeliveryDestinationKind, DeliveryStreamAlarms, DynamicPartitioning, RecordDeaggregation, RecordFilter, RecordFormatConversion, RecordTransform,
  S3DeliveryStream, S3DeliveryStreamProps,
} from '../../src/delivery';

const P = 'Stack/Delivery: ';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const JQ = DynamicPartitioning.byJq({ service: '.service' });
const JQ_PREFIX = 'service=!{partitionKeyFromQuery:service}/';

function message(props: S3DeliveryStreamProps | ((stack: ReturnType<typeof newStack>) => S3DeliveryStreamProps)): string {
  const stack = newStack();
  return errorOf(() => new S3DeliveryStream(stack, 'Delivery', typeof props === 'function' ? props(stack) : props));
}

function table(stack: ReturnType<typeof newStack>): glue.CfnTable {
  return new glue.CfnTable(stack, 'Table', { catalogId: '123456789012', databaseName: 'db', tableInput: { name: 't' } });
}

describe('construct rules', () => {
  test.each<[string, S3DeliveryStreamProps | ((stack: ReturnType<typeof newStack>) => S3DeliveryStreamProps), string]>([
    ['delivery stream name alphabet', { deliveryStreamName: 'app logs' }, "deliveryStreamName may only contain letters, digits, _, . and -, got 'app logs'"],
    ['delivery stream name length', { deliveryStreamName: 'x'.repeat(65) }, `deliveryStreamName must be 1 to 64 characters, got 65 ('${'x'.repeat(65)}')`],
    ['bucket and bucketProps', (s) => ({ bucket: new s3.Bucket(s, 'B'), bucketProps: {} }), 'bucket and bucketProps cannot be given together: bucketProps configure the bucket this construct creates'],
    ['logging off with a log group', (s) => ({ errorLogging: false, errorLogGroup: new logs.LogGroup(s, 'L') }), 'errorLogging: false and errorLogGroup cannot be given together'],
    ['compression with format conversion', (s) => ({ recordFormatConversion: RecordFormatConversion.toParquet(table(s)), compression: firehose.Compression.GZIP }),
      'compression GZIP cannot be set with record format conversion: PARQUET compresses inside the file (set it in the output format options)'],
    ['file extension', { fileExtension: 'json.GZ' }, "fileExtension must start with '.' and contain only 0-9, a-z and !-_.*'(), got 'json.GZ'"],
    ['source backup of records that nothing changes', { sourceBackup: {} },
      'sourceBackup needs a transform, a recordFormatConversion or dynamicPartitioning: Firehose backs up the source records of an S3 destination '
      + 'when it changes them, and without any of these the backup would be a second copy of the delivered objects'],
    ['dynamic partitioning without a prefix', { dynamicPartitioning: JQ },
      "dynamic partitioning is on, so dataOutputPrefix is required and must use the partition keys, e.g. 'service=!{partitionKeyFromQuery:service}/'"],
  ])('%s', (_name, props, expected) => {
    expect(message(props)).toBe(P + expected);
  });
});

describe('buffering rules', () => {
  test.each<[string, S3DeliveryStreamProps | ((stack: ReturnType<typeof newStack>) => S3DeliveryStreamProps), string]>([
    ['size above 128 MiB', { buffering: { size: Size.mebibytes(129) } }, 'buffering.size must be between 1 and 128 MiB, got 129 MiB'],
    ['size below 1 MiB', { buffering: { size: Size.kibibytes(512) } }, 'buffering.size must be between 1 and 128 MiB, got 0.5 MiB'],
    ['size in whole MiB', { buffering: { size: Size.kibibytes(1536) } }, 'buffering.size must be a whole number of MiB, got 1.5 MiB'],
    ['interval above 900 s', { buffering: { interval: Duration.seconds(901) } }, 'buffering.interval must be between 0 and 900 seconds, got 901 seconds'],
    ['64 MiB with dynamic partitioning', { dynamicPartitioning: JQ, dataOutputPrefix: JQ_PREFIX, buffering: { size: Size.mebibytes(32) } },
      'buffering.size must be between 64 and 128 MiB, got 32 MiB. The minimum applies because dynamic partitioning is on'],
    ['60 s with dynamic partitioning', { dynamicPartitioning: JQ, dataOutputPrefix: JQ_PREFIX, buffering: { interval: Duration.seconds(0) } },
      'buffering.interval must be between 60 and 900 seconds, got 0 seconds. The minimum applies because dynamic partitioning is on'],
    ['64 MiB with format conversion', (s) => ({ recordFormatConversion: RecordFormatConversion.toOrc(table(s)), buffering: { size: Size.mebibytes(5) } }),
      'buffering.size must be between 64 and 128 MiB, got 5 MiB. The minimum applies because record format conversion is on'],
    ['backup buffering', { transform: RecordTransform.bundled(), sourceBackup: { buffering: { size: Size.mebibytes(200) } } }, 'sourceBackup.buffering.size must be between 1 and 128 MiB, got 200 MiB'],
  ])('%s', (_name, props, expected) => {
    expect(message(props)).toBe(P + expected);
  });
});

describe('processing rules', () => {
  const manyKeys = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, `.k${i}`]));
  test.each<[string, S3DeliveryStreamProps, string]>([
    ['de-aggregation needs dynamic partitioning', { recordDeaggregation: RecordDeaggregation.json() },
      'recordDeaggregation (JSON) is part of dynamic partitioning: set dynamicPartitioning, or split records in a transform'],
    ['delimited de-aggregation needs a delimiter', { dynamicPartitioning: JQ, dataOutputPrefix: JQ_PREFIX, recordDeaggregation: RecordDeaggregation.delimited('') },
      'recordDeaggregation.delimited needs a non-empty delimiter'],
    ['delimiter processor needs dynamic partitioning', { appendDelimiter: true },
      'appendDelimiter is part of dynamic partitioning: without it, use RecordTransform.bundled (appendNewline) to end records with a newline'],
    ['byTransform needs a transform', { dynamicPartitioning: DynamicPartitioning.byTransform(), dataOutputPrefix: 'k=!{partitionKeyFromLambda:k}/' },
      'DynamicPartitioning.byTransform needs a transform that returns partition keys: set transform, or use DynamicPartitioning.byJq'],
    ['retry duration', { dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service' }, { retryDuration: Duration.hours(3) }), dataOutputPrefix: JQ_PREFIX },
      'dynamicPartitioning retryDuration must be between 0 and 7200 seconds, got 10800 seconds'],
    ['JQ needs a key', { dynamicPartitioning: DynamicPartitioning.byJq({}), dataOutputPrefix: JQ_PREFIX }, 'DynamicPartitioning.byJq needs at least one partition key'],
    ['JQ key count', { dynamicPartitioning: DynamicPartitioning.byJq(manyKeys), dataOutputPrefix: JQ_PREFIX },
      'DynamicPartitioning.byJq defines 51 partition keys, more than the 50 Firehose allows'],
    ['JQ key name', { dynamicPartitioning: DynamicPartitioning.byJq({ 'a:b': '.a' }), dataOutputPrefix: JQ_PREFIX },
      "partition key names may not be empty or contain braces, colons, '!' or spaces, got 'a:b'"],
    ['JQ expression', { dynamicPartitioning: DynamicPartitioning.byJq({ service: ' ' }), dataOutputPrefix: JQ_PREFIX }, "DynamicPartitioning.byJq key 'service' has an empty JQ expression"],
    ['JQ length', { dynamicPartitioning: DynamicPartitioning.byJq({ service: `.${'s'.repeat(5200)}` }), dataOutputPrefix: JQ_PREFIX },
      'the JQ query is 5213 characters once rendered, more than the 5120 Firehose accepts: use fewer or shorter expressions, or partition in a transform'],
  ])('%s', (_name, props, expected) => {
    expect(message(props)).toBe(P + expected);
  });
});

describe('prefix rules', () => {
  const transform = RecordTransform.bundled({ partitionKeyFields: { service: 'service' } });
  test.each<[string, S3DeliveryStreamProps, string]>([
    ['length', { dataOutputPrefix: 'a'.repeat(1025) }, 'dataOutputPrefix must be at most 1024 characters, got 1025'],
    ['malformed expression', { dataOutputPrefix: 'logs/!{timestamp:yyyy/' }, "dataOutputPrefix 'logs/!{timestamp:yyyy/' has an expression that is not of the form !{namespace:value}"],
    ['unknown namespace', { dataOutputPrefix: '!{time:yyyy}/' }, "dataOutputPrefix '!{time:yyyy}/' uses the namespace 'time'; Firehose knows firehose, timestamp, partitionKeyFromQuery, partitionKeyFromLambda"],
    ['empty expression', { dataOutputPrefix: 'x/!{timestamp:}/' }, "dataOutputPrefix 'x/!{timestamp:}/' has an empty !{timestamp:} expression"],
    ['firehose values', { dataOutputPrefix: '!{firehose:uuid}/' }, "dataOutputPrefix '!{firehose:uuid}/' uses !{firehose:uuid}; the firehose namespace only has error-output-type and random-string"],
    ['expressions need an error prefix', { dataOutputPrefix: '!{timestamp:yyyy}/', errorOutputPrefix: '' },
      "dataOutputPrefix '!{timestamp:yyyy}/' uses expressions, so Firehose requires an errorOutputPrefix: set one that contains !{firehose:error-output-type}"],
    ['no error-output-type in the data prefix', { dataOutputPrefix: 'x/!{firehose:error-output-type}/' },
      "dataOutputPrefix 'x/!{firehose:error-output-type}/' may not contain !{firehose:error-output-type}: it belongs in errorOutputPrefix"],
    ['error prefix expressions need error-output-type', { errorOutputPrefix: 'errors/!{timestamp:yyyy}/' },
      "errorOutputPrefix 'errors/!{timestamp:yyyy}/' uses expressions, so it must contain !{firehose:error-output-type}"],
    ['no partition keys in the error prefix', { dynamicPartitioning: JQ, dataOutputPrefix: JQ_PREFIX, errorOutputPrefix: '!{firehose:error-output-type}/!{partitionKeyFromQuery:service}/' },
      "errorOutputPrefix '!{firehose:error-output-type}/!{partitionKeyFromQuery:service}/' may not use !{partitionKeyFromQuery:...}: records that fail have no partition keys"],
    ['partition keys need dynamic partitioning', { dataOutputPrefix: JQ_PREFIX },
      "dataOutputPrefix 'service=!{partitionKeyFromQuery:service}/' uses !{partitionKeyFromQuery:service}, which needs dynamicPartitioning"],
    ['dynamic partitioning needs a key in the prefix', { dynamicPartitioning: JQ, dataOutputPrefix: '!{timestamp:yyyy}/' },
      "dynamic partitioning is on, so dataOutputPrefix '!{timestamp:yyyy}/' must use at least one !{partitionKeyFromQuery:key} or !{partitionKeyFromLambda:key} expression"],
    ['query keys must be defined', { dynamicPartitioning: JQ, dataOutputPrefix: `${JQ_PREFIX}!{partitionKeyFromQuery:region}/` },
      "dataOutputPrefix uses !{partitionKeyFromQuery:region}, but the JQ query defines only 'service'"],
    ['query keys must be used', { dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service', region: '.region' }), dataOutputPrefix: JQ_PREFIX },
      "the JQ query defines the partition key 'region', which dataOutputPrefix does not use: Firehose requires every key to appear as !{partitionKeyFromQuery:region}"],
    ['query keys need a query', { transform, dynamicPartitioning: DynamicPartitioning.byTransform(), dataOutputPrefix: JQ_PREFIX },
      'dataOutputPrefix uses !{partitionKeyFromQuery:service}, but dynamic partitioning has no JQ query: use DynamicPartitioning.byJq'],
    ['Lambda keys need a transform', { dynamicPartitioning: JQ, dataOutputPrefix: `${JQ_PREFIX}!{partitionKeyFromLambda:service}/` },
      'dataOutputPrefix uses !{partitionKeyFromLambda:service}, but there is no transform to return it: set transform'],
    ['Lambda keys must be returned', { transform, dynamicPartitioning: DynamicPartitioning.byTransform(), dataOutputPrefix: 'r=!{partitionKeyFromLambda:region}/' },
      "dataOutputPrefix uses !{partitionKeyFromLambda:region}, but the transform returns 'service'"],
  ])('%s', (_name, props, expected) => {
    expect(message(props)).toBe(P + expected);
  });

  test('the backup prefixes follow the same rules, named as the backup', () => {
    expect(message({ transform: RecordTransform.bundled(), sourceBackup: { prefix: 'raw/!{timestamp:yyyy}/', errorOutputPrefix: 'raw-errors/!{timestamp:yyyy}/' } }))
      .toBe("Stack/Delivery (sourceBackup): errorOutputPrefix 'raw-errors/!{timestamp:yyyy}/' uses expressions, so it must contain !{firehose:error-output-type}");
  });

  test.each<[string, S3DeliveryStreamProps, string]>([
    ['a backup prefix in the data folder', { transform: RecordTransform.bundled(), sourceBackup: { prefix: 'data/raw/' } },
      "sourceBackup.prefix 'data/raw/' and dataOutputPrefix 'data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/' write to the same bucket " +
      "under overlapping folders ('data/raw/' and 'data/')"],
    ['an error prefix under a data prefix at the bucket root', { dataOutputPrefix: '!{timestamp:yyyy}/' },
      "errorOutputPrefix 'errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/' and dataOutputPrefix '!{timestamp:yyyy}/' " +
      "write to the same bucket under overlapping folders ('errors/' and '/')"],
  ])('warns about %s', (_name, props, expected) => {
    const stack = newStack();
    new S3DeliveryStream(stack, 'Delivery', props);
    Annotations.fromStack(stack).hasWarning('/Stack/Delivery', Match.stringLikeRegexp(escape(`Stack/Delivery: ${expected}: give each its own leading folder`)));
  });

  test('no overlap warning with the default prefixes and a default backup', () => {
    const stack = newStack();
    new S3DeliveryStream(stack, 'Delivery', { transform: RecordTransform.bundled(), sourceBackup: {} });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('overlapping folders'));
  });

  test('a source backup is accepted with any of transform, format conversion or dynamic partitioning', () => {
    expect(() => new S3DeliveryStream(newStack(), 'Delivery', { transform: RecordTransform.bundled(), sourceBackup: {} })).not.toThrow();
    const stack = newStack();
    expect(() => new S3DeliveryStream(stack, 'Delivery', { recordFormatConversion: RecordFormatConversion.toParquet(table(stack)), sourceBackup: {} })).not.toThrow();
    expect(() => new S3DeliveryStream(newStack(), 'Delivery', { dynamicPartitioning: JQ, dataOutputPrefix: JQ_PREFIX, sourceBackup: {} })).not.toThrow();
  });

  test('prefixes that are tokens are not checked', () => {
    expect(() => new S3DeliveryStream(newStack(), 'Delivery', { dataOutputPrefix: Token.asString({ Ref: 'Prefix' }) })).not.toThrow();
  });
});

describe('transform rules', () => {
  const T = 'Stack/Delivery/Transform: ';
  test.each<[string, RecordTransform, string]>([
    ['buffer size', RecordTransform.bundled({ bufferSize: Size.mebibytes(4) }), 'transform bufferSize must be between 0.2 and 3 MiB, got 4 MiB'],
    ['buffer interval', RecordTransform.bundled({ bufferInterval: Duration.minutes(16) }), 'transform bufferInterval must be between 0 and 900 seconds, got 960 seconds'],
    ['retries range', RecordTransform.bundled({ retries: 301 }), 'transform retries must be between 0 and 300, got 301'],
    ['retries whole', RecordTransform.bundled({ retries: 1.5 }), 'transform retries must be a whole number, got 1.5'],
    ['timeout', RecordTransform.bundled({ timeout: Duration.minutes(6) }), 'transform timeout must be between 1 and 300 seconds, got 360 seconds. Firehose waits at most 5 minutes for a transform invocation'],
    ['field path', RecordTransform.bundled({ requiredFields: ['a..b'] }), "requiredFields entry must be a dotted field path such as 'detail.level', got 'a..b'"],
    ['top-level fields', RecordTransform.bundled({ keepFields: ['a.b'] }), "keepFields entry names a top-level field, got the path 'a.b': keep, rename and drop work on top-level fields only"],
    ['keep and drop', RecordTransform.bundled({ keepFields: ['a', 'b'], dropFields: ['b'] }), "fields cannot be both kept and dropped, got 'b' in keepFields and dropFields"],
    ['two renames to one name', RecordTransform.bundled({ renameFields: { a: 'x', b: 'x' } }), "renameFields maps both 'a' and 'b' to 'x': one would overwrite the other"],
    ['rename of a removed field', RecordTransform.bundled({ keepFields: ['a'], renameFields: { b: 'c' } }), "renameFields renames 'b', which keepFields removes: add 'b' to keepFields"],
    ['rename onto a kept field', RecordTransform.bundled({ keepFields: ['a', 'b'], renameFields: { a: 'b' } }), "renameFields renames 'a' to 'b', which keepFields also keeps: one would overwrite the other"],
    ['filter values', RecordTransform.bundled({ filters: [RecordFilter.fieldEquals('level', { nested: true })] }),
      'filter on \'level\' compares with {"nested":true}: filter values must be strings, numbers, booleans or null'],
    ['empty in', RecordTransform.bundled({ filters: [RecordFilter.fieldIn('level', [])] }), "filter in on 'level' has no values: it would drop every record"],
    ['partition key names', RecordTransform.bundled({ partitionKeyFields: { 'my key': 'k' } }), "partition key names may not be empty or contain braces, colons, '!' or spaces, got 'my key'"],
    ['token fields', RecordTransform.bundled({ requiredFields: [Token.asString({ Ref: 'F' })] }),
      'requiredFields entry must be known at synth time (the transform is configured through its environment), got a token'],
    ['environment size', RecordTransform.bundled({ requiredFields: Array.from({ length: 300 }, (_, i) => `field_number_${i}`) }),
      "the bundled transform's configuration is 5760 bytes, but a function's environment holds at most 4096 bytes: use fewer or shorter field names, or write your own transform with the cdk-kinesis-patterns/firehose runtime"],
  ])('%s', (_name, transform, expected) => {
    expect(message({ transform })).toBe(T + expected);
  });
});

describe('alarm rules', () => {
  test('evaluation periods and freshness threshold must be positive', () => {
    const stack = newStack();
    const deliveryStream = new S3DeliveryStream(stack, 'Delivery', { alarms: false }).deliveryStream;
    const base = { deliveryStream, destination: DeliveryDestinationKind.S3, bufferingInterval: Duration.seconds(300) };
    expect(errorOf(() => new DeliveryStreamAlarms(stack, 'A', { ...base, evaluationPeriods: 0 }))).toBe('Stack/A: evaluationPeriods must be greater than 0, got 0');
    expect(errorOf(() => new DeliveryStreamAlarms(stack, 'B', { ...base, freshnessThreshold: Duration.seconds(0) }))).toBe('Stack/B: freshnessThreshold must be greater than 0 seconds, got 0 seconds');
  });
});
