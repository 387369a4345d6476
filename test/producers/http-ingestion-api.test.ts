import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataStream, HttpIngestionApi, IngestionAuthorization, PartitionKey } from '../../src';
import { nagFindings } from '../support/nag';

let n = 0;
function setup(props: any = {}) {
  const stack = new Stack(new App(), `H${n++}`);
  const stream = new DataStream(stack, 'Stream');
  const api = new HttpIngestionApi(stack, 'Ingest', { stream, producer: { partitionKey: PartitionKey.fromField('device.id') }, ...props });
  return { stack, stream, api, get t() { return Template.fromStack(stack); } };
}

describe('HttpIngestionApi', () => {
  test('POST /events, IAM-authorized, validated against the batch schema, proxied to the producer', () => {
    const { t } = setup();
    t.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'events' });
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      RequestValidatorId: { Ref: Match.stringLikeRegexp('IngestValidator') },
      RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('EventBatch') } },
      Integration: Match.objectLike({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' }),
    });
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  test('the model requires every event to carry the partition key field, and bounds the batch', () => {
    const { t } = setup({ maxEventsPerRequest: 100 });
    const events = {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: { type: 'object', required: ['device'], properties: { device: { type: 'object', required: ['id'], properties: { id: { type: ['string', 'number'] } } } } },
    };
    t.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: { $schema: 'http://json-schema.org/draft-04/schema#', title: 'EventBatch', oneOf: [events, { type: 'object', required: ['records'], properties: { records: events } }] },
    });
  });

  test('a schema of your own replaces the default event schema', () => {
    const { t } = setup({ eventSchema: { type: apigw.JsonSchemaType.OBJECT, required: ['ts'] } });
    t.hasResourceProperties('AWS::ApiGateway::Model', { Schema: Match.objectLike({ oneOf: Match.arrayWith([Match.objectLike({ items: { type: 'object', required: ['ts'] } })]) }) });
  });

  test('the stage is throttled, traced and access-logged as JSON to a log group kept a year', () => {
    const { t } = setup({ throttlingRateLimit: 50, throttlingBurstLimit: 80 });
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('IngestAccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80, LoggingLevel: 'OFF', HttpMethod: '*', ResourcePath: '/*' })],
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    t.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('the payload limit reaches the handler, and the producer times out before API Gateway does', () => {
    const { stack } = setup({ maxPayloadSize: Size.kibibytes(512) });
    const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const producer = Object.values<any>(fns).find((f) => f.Properties.Environment?.Variables?.STREAM_ARN);
    expect(producer.Properties.Environment.Variables.MAX_PAYLOAD_BYTES).toBe(String(512 * 1024));
    expect(producer.Properties.Timeout).toBe(25);
  });

  test('grantIngest allows execute-api:Invoke on the POST method only', () => {
    const { stack, api } = setup();
    const role = new iam.Role(stack, 'Device', { assumedBy: new iam.AccountRootPrincipal() });
    api.grantIngest(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('Device') }],
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'execute-api:Invoke', Resource: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/POST/events')])]) }) })] },
    });
  });

  test('Cognito user pools authorize with their tokens', () => {
    const stack = new Stack(new App(), 'Cog');
    const pool = new cognito.UserPool(stack, 'Pool');
    new HttpIngestionApi(stack, 'Ingest', {
      stream: new DataStream(stack, 'Stream'),
      producer: { partitionKey: PartitionKey.random() },
      authorization: IngestionAuthorization.cognito([pool], ['ingest/write']),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['ingest/write'] });
    t.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
  });

  test('a web ACL is associated with the stage', () => {
    const { t } = setup({ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ingest/abc' });
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ingest/abc' });
  });

  test('is clean under cdk-nag AwsSolutions (IAM authorization, COG4, APIG3 and APIG6 acknowledged with reasons)', () => {
    expect(nagFindings((app) => {
      const stack = new Stack(app, 'Nag');
      new HttpIngestionApi(stack, 'Ingest', { stream: new DataStream(stack, 'Stream'), producer: { partitionKey: PartitionKey.fromField('id') } });
    })).toEqual([]);
  });

  describe('rules', () => {
    test.each([
      ['a producer timeout beyond API Gateway\'s 29 seconds', { producer: { partitionKey: PartitionKey.random(), timeout: Duration.seconds(30) } },
        /producer.timeout is 30 seconds, longer than API Gateway's 29-second integration timeout: the caller would get a 504 while the function still writes/],
      ['a payload limit above 5 MiB', { maxPayloadSize: Size.mebibytes(6) }, /maxPayloadSize must be between 1 and 5242880 bytes, got 6291456 bytes. Lambda takes 6291456 bytes per invocation, envelope included/],
      ['more than 10,000 events per request', { maxEventsPerRequest: 10_001 }, /maxEventsPerRequest must be between 1 and 10000, got 10001/],
      ['zero events per request', { maxEventsPerRequest: 0 }, /maxEventsPerRequest must be between 1 and 10000, got 0/],
      ['a throttle of 0 requests/s', { throttlingRateLimit: 0 }, /throttlingRateLimit must be between 1 and \d+ requests\/s, got 0 requests\/s/],
      ['a resource path with a slash', { resourcePath: 'a/b' }, /resourcePath may only contain letters, digits, periods, underscores and hyphens \(one path part\), got 'a\/b'/],
    ])('rejects %s', (_what, props, message) => {
      expect(() => setup(props)).toThrow(message);
    });
  });
});
