import { Duration, Size } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { numberParam, probe, ProbeCase, stringParam } from './probe';
import {
  DeliverySource, DynamicPartitioning, HttpEndpointDeliveryStream, HttpEndpointDeliveryStreamProps, OpenSearchDeliveryStream, OpenSearchDeliveryStreamProps,
  OpenSearchTarget, RecordTransform, RedshiftDeliveryStream, RedshiftDeliveryStreamProps, RedshiftTarget, S3DeliveryStream, S3DeliveryStreamProps,
  SplunkDeliveryStream, SplunkDeliveryStreamProps, SplunkEndpointType,
} from '../../../src/delivery';
import { secret } from '../../delivery/destination-support';

type Extra<P> = Partial<P> | ((s: any) => Partial<P>);
const of = <P>(extra: Extra<P>, s: any) => (typeof extra === 'function' ? (extra as (s: any) => Partial<P>)(s) : extra);
const s3 = (extra: Extra<S3DeliveryStreamProps>) => (s: any) => new S3DeliveryStream(s, 'Delivery', of(extra, s) as S3DeliveryStreamProps);
const redshift = (extra: Extra<RedshiftDeliveryStreamProps>) => (s: any) => new RedshiftDeliveryStream(s, 'Delivery', {
  target: RedshiftTarget.cluster({ endpointAddress: 'ledger.abc123xyz.eu-west-1.redshift.amazonaws.com', databaseName: 'finance', publiclyAccessible: true }),
  credentials: secret(s),
  tableName: 'ledger.transactions',
  ...of(extra, s),
} as RedshiftDeliveryStreamProps);
const search = (extra: Extra<OpenSearchDeliveryStreamProps>) => (s: any) => new OpenSearchDeliveryStream(s, 'Delivery', {
  target: OpenSearchTarget.domain(opensearch.Domain.fromDomainAttributes(s, 'Domain', { domainArn: 'arn:aws:es:eu-west-1:123456789012:domain/logs', domainEndpoint: 'https://search-logs.eu-west-1.es.amazonaws.com' })),
  indexName: 'app-logs',
  ...of(extra, s),
} as OpenSearchDeliveryStreamProps);
const splunk = (extra: Extra<SplunkDeliveryStreamProps>) => (s: any) => new SplunkDeliveryStream(s, 'Delivery', {
  hecEndpoint: 'https://splunk.example.com:8088', hecEndpointType: SplunkEndpointType.EVENT, hecToken: secret(s, 'HecToken'), ...of(extra, s),
} as SplunkDeliveryStreamProps);
const http = (extra: Extra<HttpEndpointDeliveryStreamProps>) => (s: any) => new HttpEndpointDeliveryStream(s, 'Delivery', { url: 'https://intake.example.com/v1', ...of(extra, s) } as HttpEndpointDeliveryStreamProps);
const stream = (t: any) => Object.values<any>(t.findResources('AWS::KinesisFirehose::DeliveryStream'))[0].Properties;

const s3Cases: ProbeCase[] = [
  { name: 'props null (JavaScript)', build: s3(null as any), error: /props are required, got null/ },
  { name: 'buffering size 0', build: s3({ buffering: { size: Size.mebibytes(0) } }), error: /buffering.size must be between 1 and 128 MiB, got 0 MiB/ },
  { name: 'buffering size 129 MiB', build: s3({ buffering: { size: Size.mebibytes(129) } }), error: /buffering.size must be between 1 and 128 MiB, got 129 MiB/ },
  { name: 'buffering size 1.5 MiB', build: s3({ buffering: { size: Size.kibibytes(1536) } }), error: /buffering.size must be a whole number of MiB, got 1.5 MiB/ },
  { name: 'buffering size NaN', build: s3({ buffering: { size: Size.mebibytes(NaN) } }), error: /buffering.size must be between 1 and 128 MiB, got NaN/ },
  { name: 'buffering size from a token in KiB', token: true, build: (s) => s3({ buffering: { size: Size.kibibytes(numberParam(s)) } })(s), error: /buffering.size comes from a token in another unit than MiB/ },
  { name: 'buffering interval 901 s', build: s3({ buffering: { interval: Duration.seconds(901) } }), error: /buffering.interval must be between 0 and 900 seconds, got 901 seconds/ },
  { name: 'buffering interval 1.5 s', build: s3({ buffering: { interval: Duration.millis(1500) } }), error: /buffering.interval must be a whole number of seconds, got 1.5 seconds/ },
  { name: 'buffering interval from a token in minutes', token: true, build: (s) => s3({ buffering: { interval: Duration.minutes(numberParam(s)) } })(s), error: /buffering.interval comes from a token in another unit than seconds/ },
  { name: 'buffering interval under 60 s with dynamic partitioning', build: s3({ dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service' }), dataOutputPrefix: 's=!{partitionKeyFromQuery:service}/', errorOutputPrefix: 'e/!{firehose:error-output-type}/', buffering: { interval: Duration.seconds(30) } }), error: /buffering.interval must be between 60 and 900 seconds, got 30 seconds. The minimum applies because dynamic partitioning is on/ },
  { name: 'delivery stream name with a space', build: s3({ deliveryStreamName: 'app logs' }), error: /deliveryStreamName may only contain letters, digits, _, . and -, got 'app logs'/ },
  { name: 'delivery stream name of 65 characters', build: s3({ deliveryStreamName: 'a'.repeat(65) }), error: /deliveryStreamName must be 1 to 64 characters, got 65/ },
  { name: 'prefix with an unknown namespace', build: s3({ dataOutputPrefix: 'd/!{time:yyyy}/', errorOutputPrefix: 'e/!{firehose:error-output-type}/' }), error: /uses the namespace 'time'; Firehose knows firehose, timestamp/ },
  { name: 'prefix with expressions and no error prefix', build: s3({ dataOutputPrefix: 'd/!{timestamp:yyyy}/', errorOutputPrefix: '' }), error: /dataOutputPrefix 'd\/!\{timestamp:yyyy\}\/' uses expressions, so Firehose requires an errorOutputPrefix/ },
  { name: 'error prefix without the error type', build: s3({ errorOutputPrefix: 'e/!{timestamp:yyyy}/' }), error: /errorOutputPrefix 'e\/!\{timestamp:yyyy\}\/' uses expressions, so it must contain !\{firehose:error-output-type\}/ },
  { name: 'prefix of 1025 characters', build: s3({ dataOutputPrefix: 'a'.repeat(1025) }), error: /dataOutputPrefix must be at most 1024 characters, got 1025/ },
  { name: 'dynamic partitioning without a prefix', build: s3({ dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service' }) }), error: /dynamic partitioning is on, so dataOutputPrefix is required/ },
  { name: 'dynamic partitioning query missing (JavaScript)', build: () => DynamicPartitioning.byJq(undefined as any), error: /^DynamicPartitioning.byJq: query must map partition key names to JQ expressions/ },
  { name: 'dynamic partitioning retry 7201 s', build: s3({ dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service' }, { retryDuration: Duration.seconds(7201) }), dataOutputPrefix: 's=!{partitionKeyFromQuery:service}/', errorOutputPrefix: 'e/!{firehose:error-output-type}/', buffering: { interval: Duration.seconds(60) } }), error: /dynamicPartitioning retryDuration must be between 0 and 7200 seconds, got 7201 seconds/ },
  { name: 'dynamic partitioning retry 0.5 s', build: s3({ dynamicPartitioning: DynamicPartitioning.byJq({ service: '.service' }, { retryDuration: Duration.millis(500) }), dataOutputPrefix: 's=!{partitionKeyFromQuery:service}/', errorOutputPrefix: 'e/!{firehose:error-output-type}/', buffering: { interval: Duration.seconds(60) } }), error: /dynamicPartitioning retryDuration must be a whole number of seconds, got 0.5 seconds/ },
  { name: 'transform buffer interval 901 s', build: s3({ transform: RecordTransform.bundled({ bufferInterval: Duration.seconds(901) }) }), error: /transform bufferInterval must be between 0 and 900 seconds, got 901 seconds/ },
  { name: 'transform buffer interval 0.5 s', build: s3({ transform: RecordTransform.bundled({ bufferInterval: Duration.millis(500) }) }), error: /transform bufferInterval must be a whole number of seconds, got 0.5 seconds/ },
  { name: 'transform buffer size 4 MiB', build: s3({ transform: RecordTransform.bundled({ bufferSize: Size.mebibytes(4) }) }), error: /transform bufferSize must be between 0.2 and 3 MiB, got 4 MiB/ },
  { name: 'transform retries 301', build: s3({ transform: RecordTransform.bundled({ retries: 301 }) }), error: /transform retries must be between 0 and 300, got 301/ },
  { name: 'transform retries fraction', build: s3({ transform: RecordTransform.bundled({ retries: 1.5 }) }), error: /transform retries must be a whole number, got 1.5/ },
  { name: 'transform timeout 6 minutes', build: s3({ transform: RecordTransform.bundled({ timeout: Duration.minutes(6) }) }), error: /transform timeout must be between 1 and 300 seconds, got 360 seconds/ },
  { name: 'transform timeout 1.5 s', build: s3({ transform: RecordTransform.bundled({ timeout: Duration.millis(1500) }) }), error: /transform timeout must be a whole number of seconds, got 1.5 seconds/ },
  { name: 'source backup without a change', build: s3({ sourceBackup: {} }), error: /sourceBackup needs a transform, a recordFormatConversion or dynamicPartitioning/ },
  { name: 'a source stream with a bad ARN', build: (s) => DeliverySource.kinesisStream(kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:eu-west-1:123456789012:table/clicks')), error: /^DeliverySource.kinesisStream: stream has the ARN .*not a Kinesis data stream ARN/ },
  { name: 'a source stream missing (JavaScript)', build: () => DeliverySource.kinesisStream(undefined as any), error: /^DeliverySource.kinesisStream: stream is required, got undefined/ },
  { name: 'alarm evaluation periods 0', build: s3({ alarmOptions: { evaluationPeriods: 0 } }), error: /evaluationPeriods must be greater than 0, got 0/ },
  { name: 'alarm evaluation periods fraction', build: s3({ alarmOptions: { evaluationPeriods: 1.5 } }), error: /evaluationPeriods must be a whole number, got 1.5/ },
  { name: 'alarm evaluation periods above a day', build: s3({ alarmOptions: { evaluationPeriods: 289 } }), error: /evaluationPeriods must be at most 288, got 289. The alarms use 300-second periods/ },
  { name: 'freshness threshold 0', build: s3({ alarmOptions: { freshnessThreshold: Duration.seconds(0) } }), error: /freshnessThreshold must be greater than 0 seconds, got 0 seconds/ },
  { name: 'freshness threshold 1.5 s', build: s3({ alarmOptions: { freshnessThreshold: Duration.millis(1500) } }), error: /freshnessThreshold must be a whole number of seconds, got 1.5 seconds/ },
  { name: 'buffering from parameters in MiB and seconds', token: true, build: (s) => s3({ buffering: { size: Size.mebibytes(numberParam(s, 'A')), interval: Duration.seconds(numberParam(s, 'B')) } })(s), check: (t) => expect(stream(t).ExtendedS3DestinationConfiguration.BufferingHints).toEqual({ SizeInMBs: { Ref: 'A' }, IntervalInSeconds: { Ref: 'B' } }) },
  { name: 'a prefix from a parameter', token: true, build: (s) => s3({ dataOutputPrefix: stringParam(s) })(s), check: (t) => expect(stream(t).ExtendedS3DestinationConfiguration.Prefix).toEqual({ Ref: 'S' }) },
  { name: 'a delivery stream name from a parameter', token: true, build: (s) => s3({ deliveryStreamName: stringParam(s) })(s), check: (t) => expect(stream(t).DeliveryStreamName).toEqual({ Ref: 'S' }) },
  { name: 'transform retries from a parameter', token: true, build: (s) => s3({ transform: RecordTransform.bundled({ retries: numberParam(s) }) })(s), check: (t) => expect(JSON.stringify(stream(t).ExtendedS3DestinationConfiguration.ProcessingConfiguration)).toContain('{"Ref":"N"}') },
  { name: 'freshness threshold from a parameter', token: true, build: (s) => s3({ alarmOptions: { freshnessThreshold: Duration.seconds(numberParam(s)) } })(s), check: (t) => expect(Object.values<any>(t.findResources('AWS::CloudWatch::Alarm')).some((a) => JSON.stringify(a.Properties.Threshold) === '{"Ref":"N"}')).toBe(true) },
  { name: 'buffering of 128 MiB and 900 s', build: s3({ buffering: { size: Size.mebibytes(128), interval: Duration.seconds(900) } }), check: (t) => expect(stream(t).ExtendedS3DestinationConfiguration.BufferingHints).toEqual({ SizeInMBs: 128, IntervalInSeconds: 900 }) },
  { name: 'zero buffering interval', build: s3({ buffering: { interval: Duration.seconds(0) } }), check: (t) => expect(stream(t).ExtendedS3DestinationConfiguration.BufferingHints.IntervalInSeconds).toBe(0) },
];

const redshiftCases: ProbeCase[] = [
  { name: 'no props (JavaScript)', build: (s) => new RedshiftDeliveryStream(s, 'Delivery', undefined as any), error: /^Stack\/Delivery: props are required \(with target, credentials, tableName\), got undefined/ },
  { name: 'no table (JavaScript)', build: redshift({ tableName: undefined }), error: /^Stack\/Delivery: tableName is required, got undefined/ },
  { name: 'no credentials (JavaScript)', build: redshift({ credentials: undefined }), error: /credentials is required, got undefined/ },
  { name: 'a staging prefix with a timestamp', build: redshift({ intermediatePrefix: 'staging/!{timestamp:yyyy}/' }), error: /intermediatePrefix 'staging\/!\{timestamp:yyyy\}\/' contains a !\{...\} expression, which Firehose refuses in the prefix of a Redshift destination/ },
  { name: 'a staging prefix with the error type', build: redshift({ intermediatePrefix: '!{firehose:error-output-type}/' }), error: /intermediatePrefix .* contains a !\{...\} expression/ },
  { name: 'an error output prefix (JavaScript, old code)', build: redshift({ intermediateErrorOutputPrefix: 'errors/' } as any), error: /intermediateErrorOutputPrefix is not supported, got 'errors\/': Firehose requires the error output prefix of a Redshift destination to be null/ },
  { name: 'an empty error output prefix (JavaScript)', build: redshift({ intermediateErrorOutputPrefix: '' } as any), error: /intermediateErrorOutputPrefix is not supported, got ''/ },
  { name: 'retry 2 hours and 1 second', build: redshift({ retryDuration: Duration.seconds(7201) }), error: /retryDuration must be between 0 and 7200 seconds, got 7201 seconds/ },
  { name: 'retry 0.5 s', build: redshift({ retryDuration: Duration.millis(500) }), error: /retryDuration must be a whole number of seconds, got 0.5 seconds/ },
  { name: 'table name with a semicolon', build: redshift({ tableName: 't;drop' }), error: /tableName may not contain ';', single quotes or white space/ },
  { name: 'a staging prefix from a parameter', token: true, build: (s) => redshift({ intermediatePrefix: stringParam(s) })(s), check: (t) => expect(stream(t).RedshiftDestinationConfiguration.S3Configuration.Prefix).toEqual({ Ref: 'S' }) },
  { name: 'the default staging prefix, without an error prefix', build: redshift({}), check: (t) => { const c = stream(t).RedshiftDestinationConfiguration.S3Configuration; expect(c.Prefix).toBe('data/'); expect(c.ErrorOutputPrefix).toBeUndefined(); } },
  { name: 'a plain staging prefix', build: redshift({ intermediatePrefix: 'staging/' }), check: (t) => expect(stream(t).RedshiftDestinationConfiguration.S3Configuration.Prefix).toBe('staging/') },
  {
    name: 'a source backup keeps its prefixes with expressions',
    build: redshift({ transform: RecordTransform.bundled(), sourceBackup: { prefix: 'raw/!{timestamp:yyyy}/', errorOutputPrefix: 'raw-errors/!{firehose:error-output-type}/' } }),
    check: (t) => expect(stream(t).RedshiftDestinationConfiguration.S3BackupConfiguration).toMatchObject({ Prefix: 'raw/!{timestamp:yyyy}/', ErrorOutputPrefix: 'raw-errors/!{firehose:error-output-type}/' }),
  },
  { name: 'a retry duration from a parameter', token: true, build: (s) => redshift({ retryDuration: Duration.seconds(numberParam(s)) })(s), check: (t) => expect(stream(t).RedshiftDestinationConfiguration.RetryOptions).toEqual({ DurationInSeconds: { Ref: 'N' } }) },
];

const destinationCases: ProbeCase[] = [
  { name: 'OpenSearch without a target (JavaScript)', build: search({ target: undefined }), error: /target is required, got undefined/ },
  { name: 'OpenSearch without an index (JavaScript)', build: search({ indexName: undefined }), error: /indexName is required, got undefined/ },
  { name: 'OpenSearch retry 7201 s', build: search({ retryDuration: Duration.seconds(7201) }), error: /retryDuration must be between 0 and 7200 seconds, got 7201 seconds/ },
  { name: 'OpenSearch buffering interval 1.5 s', build: search({ buffering: { interval: Duration.millis(1500) } }), error: /buffering.interval must be a whole number of seconds, got 1.5 seconds/ },
  { name: 'OpenSearch backup prefix without the error type', build: search({ backup: { errorOutputPrefix: 'e/!{timestamp:yyyy}/' } }), error: /must contain !\{firehose:error-output-type\}/ },
  { name: 'Splunk without a token (JavaScript)', build: splunk({ hecToken: undefined }), error: /hecToken is required, got undefined/ },
  { name: 'Splunk over http', build: splunk({ hecEndpoint: 'http://splunk.example.com:8088' }), error: /hecEndpoint must be an https:\/\/ URL/ },
  { name: 'Splunk acknowledgment timeout 1.5 s', build: splunk({ acknowledgmentTimeout: Duration.millis(180_500) }), error: /acknowledgmentTimeout must be a whole number of seconds, got 180.5 seconds/ },
  { name: 'Splunk acknowledgment timeout 179 s', build: splunk({ acknowledgmentTimeout: Duration.seconds(179) }), error: /acknowledgmentTimeout must be between 180 and 600 seconds, got 179 seconds/ },
  { name: 'Splunk acknowledgment timeout from a token in minutes', token: true, build: (s) => splunk({ acknowledgmentTimeout: Duration.minutes(numberParam(s)) })(s), error: /acknowledgmentTimeout comes from a token in another unit than seconds/ },
  { name: 'HTTP endpoint without a URL (JavaScript)', build: http({ url: undefined }), error: /url is required, got undefined/ },
  { name: 'HTTP endpoint retry 0.5 s', build: http({ retryDuration: Duration.millis(500) }), error: /retryDuration must be a whole number of seconds, got 0.5 seconds/ },
  { name: 'HTTP endpoint retry 7201 s', build: http({ retryDuration: Duration.seconds(7201) }), error: /retryDuration must be between 0 and 7200 seconds, got 7201 seconds/ },
  { name: 'Splunk acknowledgment timeout from a parameter', token: true, build: (s) => splunk({ acknowledgmentTimeout: Duration.seconds(numberParam(s)) })(s), check: (t) => expect(stream(t).SplunkDestinationConfiguration.HECAcknowledgmentTimeoutInSeconds).toEqual({ Ref: 'N' }) },
  { name: 'OpenSearch index from a parameter', token: true, build: (s) => search({ indexName: stringParam(s) })(s), check: (t) => expect(stream(t).AmazonopensearchserviceDestinationConfiguration.IndexName).toEqual({ Ref: 'S' }) },
  { name: 'OpenSearch retry from a parameter', token: true, build: (s) => search({ retryDuration: Duration.seconds(numberParam(s)) })(s), check: (t) => expect(stream(t).AmazonopensearchserviceDestinationConfiguration.RetryOptions).toEqual({ DurationInSeconds: { Ref: 'N' } }) },
  { name: 'HTTP endpoint with defaults', build: http({}) },
];

probe('S3DeliveryStream', s3Cases);
probe('RedshiftDeliveryStream', redshiftCases);
probe('OpenSearch, Splunk and HTTP endpoint delivery streams', destinationCases);

probe('delivery stream sources', [
  {
    name: 'a source stream in another region',
    build: s3((s) => ({ source: DeliverySource.kinesisStream(kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks')) })),
    error: /source stream 'arn:aws:kinesis:us-east-1:123456789012:stream\/clicks' is in us-east-1, but this stack is in eu-west-1: a Firehose delivery stream reads streams of its own Region only/,
  },
  {
    name: 'a source stream of this region',
    build: s3((s) => ({ source: DeliverySource.kinesisStream(kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks')) })),
    check: (t) => expect(stream(t).KinesisStreamSourceConfiguration.KinesisStreamARN).toBe('arn:aws:kinesis:eu-west-1:123456789012:stream/clicks'),
  },
]);

probe('destination factories (JavaScript callers)', [
  { name: 'RedshiftTarget.cluster without props', build: () => RedshiftTarget.cluster(undefined as any), error: /^RedshiftTarget.cluster: props are required \(with endpointAddress, databaseName\), got undefined/ },
  { name: 'RedshiftTarget.cluster without a database', build: () => RedshiftTarget.cluster({ endpointAddress: 'c.x.eu-west-1.redshift.amazonaws.com' } as any), error: /^RedshiftTarget.cluster: databaseName is required, got undefined/ },
  { name: 'RedshiftTarget.serverless without a workgroup', build: () => RedshiftTarget.serverless({} as any), error: /^RedshiftTarget.serverless: workgroupName is required, got undefined/ },
  { name: 'OpenSearchTarget.domain without a domain', build: () => OpenSearchTarget.domain(undefined as any), error: /^OpenSearchTarget.domain: domain must be an OpenSearch domain/ },
  { name: 'OpenSearchTarget.collection without an ARN', build: () => OpenSearchTarget.collection({ collectionEndpoint: 'https://x.eu-west-1.aoss.amazonaws.com' } as any), error: /^OpenSearchTarget.collection: collectionArn is required, got undefined/ },
  { name: 'RecordTransform.fromFunction without a function', build: () => RecordTransform.fromFunction(undefined as any), error: /^RecordTransform.fromFunction: fn must be a Lambda function/ },
]);
