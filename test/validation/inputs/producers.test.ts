import { Duration, Size } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { numberParam, onlyResource, probe, ProbeCase, stringParam } from './probe';
import { DataStream, HttpIngestionApi, HttpIngestionApiProps, IngestionAuthorization, PartitionKey, ProducerFunction, ProducerFunctionProps } from '../../../src';

const ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks';
const WEB_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/ingest/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111'.replace('EXAMPLE11111', '0123456789ab');

const producer = (props: Partial<ProducerFunctionProps> | null) => (s: any) => new ProducerFunction(s, 'Producer', props === null ? null as any : {
  stream: new DataStream(s, 'Stream'), partitionKey: PartitionKey.fromField('deviceId'), ...props,
} as ProducerFunctionProps);
const api = (props: Partial<HttpIngestionApiProps> | ((s: any) => Partial<HttpIngestionApiProps>)) => (s: any) => new HttpIngestionApi(s, 'Api', {
  stream: new DataStream(s, 'Stream'), producer: { partitionKey: PartitionKey.fromField('deviceId') }, ...(typeof props === 'function' ? props(s) : props),
} as HttpIngestionApiProps);
const env = (t: any) => Object.values<any>(t.findResources('AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.STREAM_ARN).Properties.Environment.Variables;

const producerCases: ProbeCase[] = [
  { name: 'no props (JavaScript)', build: producer(null), error: /props are required \(with stream, partitionKey\), got null/ },
  { name: 'no stream (JavaScript)', build: producer({ stream: undefined }), error: /stream is required, got undefined/ },
  { name: 'no partition key (JavaScript)', build: producer({ partitionKey: undefined }), error: /partitionKey is required, got undefined/ },
  { name: 'a stream that is not a stream (JavaScript)', build: producer({ stream: 'clicks' as unknown as kinesis.IStream }), error: /stream must be a Kinesis stream \(kinesis.IStream\), got 'clicks'/ },
  { name: 'an imported stream with a Firehose ARN', build: (s) => producer({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/clicks') })(s), error: /stream has the ARN 'arn:aws:firehose:.*which is not a Kinesis data stream ARN/ },
  { name: 'an imported stream with a bad region', build: (s) => producer({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:europe:123456789012:stream/clicks') })(s), error: /whose region 'europe' is not a Region name/ },
  { name: 'an imported stream with a short account', build: (s) => producer({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:eu-west-1:1234:stream/clicks') })(s), error: /whose account '1234' is not 12 digits/ },
  { name: 'an imported stream with a bad name', build: (s) => producer({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:eu-west-1:123456789012:stream/click stream') })(s), error: /whose stream name 'click stream' is not 1 to 128/ },
  { name: 'an empty field path', build: () => PartitionKey.fromField(''), error: /^PartitionKey.fromField: path must be the dot-separated path of a field.*got ''/ },
  { name: 'a field path with a space', build: producer({ partitionKey: PartitionKey.fromField('device id') }), error: /partitionKey field path must be dot-separated field names without spaces.*got 'device id'/ },
  { name: 'memory below 128 MiB', build: producer({ memorySize: 64 }), error: /memorySize must be between 128 and 10240 MiB, got 64 MiB/ },
  { name: 'memory fraction', build: producer({ memorySize: 512.5 }), error: /memorySize must be a whole number, got 512.5/ },
  { name: 'memory NaN', build: producer({ memorySize: NaN }), error: /memorySize must be a whole number, got NaN/ },
  { name: 'timeout above 15 minutes', build: producer({ timeout: Duration.minutes(16) }), error: /timeout must be between 1 and 900 seconds, got 960 seconds/ },
  { name: 'timeout of 1.5 seconds', build: producer({ timeout: Duration.millis(1500) }), error: /timeout must be a whole number of seconds, got 1.5 seconds/ },
  { name: 'buffer time longer than the timeout allows', build: producer({ timeout: Duration.seconds(3), bufferTime: Duration.seconds(3) }), error: /bufferTime must be between 0 and \d+ ms, got 3000 ms/ },
  { name: 'buffer time of half a millisecond', build: producer({ bufferTime: Duration.millis(0.5) }), error: /bufferTime \(in milliseconds\) must be a whole number, got 0.5/ },
  { name: 'buffer time from a token', token: true, build: (s) => producer({ bufferTime: Duration.millis(numberParam(s)) })(s), error: /bufferTime must be a literal value, got a token.*milliseconds/ },
  { name: 'max buffered records 0', build: producer({ maxBufferedRecords: 0 }), error: /maxBufferedRecords must be between 1 and/ },
  { name: 'max buffered records fraction', build: producer({ maxBufferedRecords: 1.5 }), error: /maxBufferedRecords must be a whole number, got 1.5/ },
  { name: 'rate limit above 100%', build: producer({ rateLimitPercent: 120 }), error: /rateLimitPercent must be between 1 and 100 %, got 120 %/ },
  { name: 'rate limit NaN', build: producer({ rateLimitPercent: NaN }), error: /rateLimitPercent must be a whole number, got NaN/ },
  { name: 'max attempts 0', build: producer({ maxAttempts: 0 }), error: /maxAttempts must be between 1 and 100, got 0/ },
  { name: 'max attempts Infinity', build: producer({ maxAttempts: Infinity }), error: /maxAttempts must be a whole number, got Infinity/ },
  { name: 'max record size from a token', token: true, build: (s) => producer({ stream: kinesis.Stream.fromStreamArn(s, 'I', ARN), maxRecordSize: Size.mebibytes(numberParam(s)) })(s), error: /maxRecordSize must be a literal value, got a token/ },
  { name: 'max record size not whole KiB', build: (s) => producer({ stream: kinesis.Stream.fromStreamArn(s, 'I', ARN), maxRecordSize: Size.bytes(1_048_577) })(s), error: /maxRecordSize must be a whole number of KiB, got 1048577 bytes/ },
  { name: 'max record size other than the stream\'s', build: producer({ maxRecordSize: Size.mebibytes(2) }), error: /maxRecordSize is 2048 KiB but the stream Stack\/Stream accepts records up to 1024 KiB/ },
  { name: 'reserved concurrency negative', build: producer({ reservedConcurrentExecutions: -1 }), error: /reservedConcurrentExecutions must be between 0 and/ },
  { name: 'alarm period of 45 seconds', build: producer({ alarms: { functionErrors: { period: Duration.seconds(45) } } }), error: /alarms.functionErrors.period must be 10 or 30 seconds/ },
  { name: 'alarm datapoints above evaluation periods', build: producer({ alarms: { failedRecords: { evaluationPeriods: 1, datapointsToAlarm: 2 } } }), error: /alarms.failedRecords.datapointsToAlarm must be between 1 and 1, got 2/ },
  {
    name: 'settings from parameters reach the environment as references',
    token: true,
    build: (s) => producer({ maxBufferedRecords: numberParam(s, 'A'), rateLimitPercent: numberParam(s, 'B'), maxAttempts: numberParam(s, 'C') })(s),
    check: (t) => expect(env(t)).toMatchObject({ MAX_BUFFERED_RECORDS: { Ref: 'A' }, RATE_LIMIT_PERCENT: { Ref: 'B' }, MAX_ATTEMPTS: { Ref: 'C' } }),
  },
  { name: 'memory from a parameter', token: true, build: (s) => producer({ memorySize: numberParam(s) })(s), check: (t) => expect(Object.values<any>(t.findResources('AWS::Lambda::Function')).some((f) => JSON.stringify(f.Properties.MemorySize) === '{"Ref":"N"}')).toBe(true) },
  { name: 'timeout from a parameter in seconds', token: true, build: (s) => producer({ timeout: Duration.seconds(numberParam(s)) })(s), check: (t) => expect(Object.values<any>(t.findResources('AWS::Lambda::Function')).some((f) => JSON.stringify(f.Properties.Timeout) === '{"Ref":"N"}')).toBe(true) },
  { name: 'an imported stream with a good ARN', build: (s) => producer({ stream: kinesis.Stream.fromStreamArn(s, 'I', ARN) })(s), check: (t) => expect(env(t).STREAM_ARN).toBe(ARN) },
  { name: 'an imported stream with a GovCloud ARN', build: (s) => producer({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws-us-gov:kinesis:us-gov-west-1:123456789012:stream/clicks') })(s) },
  { name: 'buffer time 0', build: producer({ bufferTime: Duration.seconds(0) }), check: (t) => expect(env(t).BUFFER_TIME_MS).toBe('0') },
];

const apiCases: ProbeCase[] = [
  { name: 'no props (JavaScript)', build: (s) => new HttpIngestionApi(s, 'Api', undefined as any), error: /props are required \(with stream, producer\), got undefined/ },
  { name: 'no producer (JavaScript)', build: api({ producer: undefined }), error: /producer is required, got undefined/ },
  { name: 'a producer without a partition key (JavaScript)', build: api({ producer: {} as any }), error: /producer.partitionKey is required, got undefined/ },
  { name: 'stage name with a space', build: api({ stageName: 'v 1' }), error: /stageName may only contain letters, digits, underscores and hyphens, got 'v 1'/ },
  { name: 'empty stage name', build: api({ stageName: '' }), error: /stageName must be 1 to 128 characters, got 0/ },
  { name: 'stage name of 129 characters', build: api({ stageName: 'v'.repeat(129) }), error: /stageName must be 1 to 128 characters, got 129/ },
  { name: 'a CloudFront web ACL', build: api({ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/ingest/a1b2c3d4-5678-90ab-cdef-0123456789ab' }), error: /webAclArn must be the ARN of a regional WAFv2 web ACL.*CLOUDFRONT/ },
  { name: 'a web ACL ARN that is not one', build: api({ webAclArn: 'ingest-acl' }), error: /webAclArn must be the ARN of a regional WAFv2 web ACL.*got 'ingest-acl'/ },
  { name: 'a WAF classic ARN', build: api({ webAclArn: 'arn:aws:waf-regional:eu-west-1:123456789012:webacl/a1b2c3d4-5678-90ab-cdef-0123456789ab' }), error: /webAclArn must be the ARN of a regional WAFv2 web ACL/ },
  { name: 'Cognito without user pools', build: api(() => ({ authorization: IngestionAuthorization.cognito([]) })), error: /^IngestionAuthorization.cognito: userPools must name at least one Cognito user pool, got an empty list/ },
  { name: 'Cognito with an undefined pool (JavaScript)', build: () => IngestionAuthorization.cognito([undefined as unknown as cognito.IUserPool]), error: /userPools must name at least one Cognito user pool/ },
  { name: 'Cognito with an empty scope', build: (s) => IngestionAuthorization.cognito([new cognito.UserPool(s, 'P')], ['']), error: /scopes must be non-empty OAuth scope names without spaces, got \[""\]/ },
  { name: 'custom authorizer missing (JavaScript)', build: () => IngestionAuthorization.custom(undefined as any), error: /^IngestionAuthorization.custom: authorizer must be an API Gateway authorizer/ },
  { name: 'resource path with a slash', build: api({ resourcePath: 'a/b' }), error: /resourcePath may only contain letters, digits, periods, underscores and hyphens \(one path part\), got 'a\/b'/ },
  { name: 'rate limit 0', build: api({ throttlingRateLimit: 0 }), error: /throttlingRateLimit must be between 1 and \d+ requests\/s, got 0/ },
  { name: 'rate limit NaN', build: api({ throttlingRateLimit: NaN }), error: /throttlingRateLimit must be between 1 and \d+ requests\/s, got NaN/ },
  { name: 'burst fraction', build: api({ throttlingBurstLimit: 1.5 }), error: /throttlingBurstLimit must be a whole number, got 1.5/ },
  { name: 'events per request above 10,000', build: api({ maxEventsPerRequest: 10_001 }), error: /maxEventsPerRequest must be between 1 and 10000, got 10001/ },
  { name: 'payload above 5 MiB', build: api({ maxPayloadSize: Size.mebibytes(6) }), error: /maxPayloadSize must be between 1 and 5242880 bytes, got 6291456 bytes/ },
  { name: 'payload from a token', token: true, build: (s) => api({ maxPayloadSize: Size.kibibytes(numberParam(s)) })(s), error: /maxPayloadSize must be a literal value, got a token/ },
  { name: 'producer timeout above 29 seconds', build: api({ producer: { partitionKey: PartitionKey.random(), timeout: Duration.seconds(30) } }), error: /producer.timeout is 30 seconds, longer than API Gateway's 29-second integration timeout/ },
  { name: 'a stream of another account by a bad ARN', build: (s) => api({ stream: kinesis.Stream.fromStreamArn(s, 'I', 'arn:aws:kinesis:eu-west-1:12345678901x:stream/c') })(s), error: /whose account '12345678901x' is not 12 digits/ },
  { name: 'a regional web ACL', build: api({ webAclArn: WEB_ACL }), check: (t) => expect(onlyResource(t, 'AWS::WAFv2::WebACLAssociation').WebACLArn).toBe(WEB_ACL) },
  { name: 'a web ACL from a parameter', token: true, build: (s) => api({ webAclArn: stringParam(s) })(s), check: (t) => expect(onlyResource(t, 'AWS::WAFv2::WebACLAssociation').WebACLArn).toEqual({ Ref: 'S' }) },
  { name: 'a stage name from a parameter', token: true, build: (s) => api({ stageName: stringParam(s) })(s), error: /stageName must be a literal value, got a token that resolves at deploy time: the stage's construct is named after it/ },
  { name: 'rate limit from a parameter', token: true, build: (s) => api({ throttlingRateLimit: numberParam(s) })(s), check: (t) => expect(JSON.stringify(onlyResource(t, 'AWS::ApiGateway::Stage').MethodSettings)).toContain('{"Ref":"N"}') },
  { name: 'producer timeout from a parameter', token: true, build: (s) => api({ producer: { partitionKey: PartitionKey.random(), timeout: Duration.seconds(numberParam(s)) } })(s) },
  { name: 'stage name prod_2', build: api({ stageName: 'prod_2' }), check: (t) => expect(onlyResource(t, 'AWS::ApiGateway::Stage').StageName).toBe('prod_2') },
  { name: 'Cognito with a user pool and a scope', build: (s) => api({ authorization: IngestionAuthorization.cognito([new cognito.UserPool(s, 'P')], ['ingest/write']) })(s), check: (t) => expect(onlyResource(t, 'AWS::ApiGateway::Authorizer').Type).toBe('COGNITO_USER_POOLS') },
];

probe('ProducerFunction', producerCases);
probe('HttpIngestionApi', apiCases);
