import { Duration, Size, Token, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { IngestionAuthorization } from './ingestion-authorization';
import { ProducerFunction, ProducerFunctionOptions } from './producer-function';
import { PRODUCER_ENVIRONMENT } from '../contracts/producer-environment';
import { LambdaLimits } from '../validation/limits';
import { checkInteger, checkLiteral, checkName, checkRange, checkRequired, checkRequiredProps, describe, fail, literalBytes, literalMillis } from '../validation/rules';
import { checkHandedStream } from '../validation/stream-identity';

/** Properties of an `HttpIngestionApi`. */
export interface HttpIngestionApiProps {
  /** The stream events are written to. */
  readonly stream: kinesis.IStream;
  /** The producer function behind the API: partition key, aggregation, buffering, failure queue, alarms. */
  readonly producer: ProducerFunctionOptions;
  /**
   * Who may send events.
   *
   * @default IngestionAuthorization.iam()
   */
  readonly authorization?: IngestionAuthorization;
  /**
   * Path of the resource that takes `POST` requests.
   *
   * @default 'events'
   */
  readonly resourcePath?: string;
  /**
   * Name of the stage.
   *
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * Steady requests per second the stage accepts; more are answered 429.
   *
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * Requests the stage accepts in a burst above the steady rate.
   *
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Events one request may carry; larger batches are refused whole (400) by API Gateway's request validation.
   *
   * @default 500
   */
  readonly maxEventsPerRequest?: number;
  /**
   * Largest request body; larger requests are refused whole (413) before any event is written. At most 5 MiB, to
   * stay within Lambda's 6 MB invocation payload with the request's envelope.
   *
   * @default Size.mebibytes(1)
   */
  readonly maxPayloadSize?: Size;
  /**
   * JSON Schema (draft 4) every event must match, checked by API Gateway before the function runs.
   *
   * @default - an object that has the partition key field (any object with random keys)
   */
  readonly eventSchema?: apigw.JsonSchema;
  /**
   * How long access logs (one JSON line per request) are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Execution logging of the stage. It needs the account-wide API Gateway CloudWatch role, which one stack should not
   * own, so it is off unless you ask; access logs record every request regardless.
   *
   * @default apigw.MethodLoggingLevel.OFF
   */
  readonly executionLoggingLevel?: apigw.MethodLoggingLevel;
  /**
   * ARN of a regional AWS WAF web ACL to associate with the stage.
   *
   * @default - none
   */
  readonly webAclArn?: string;
}

const DEFAULT_RATE = 100;
const DEFAULT_BURST = 200;
const DEFAULT_MAX_EVENTS = 500;
const MAX_EVENTS = 10_000;
const DEFAULT_PAYLOAD = Size.mebibytes(1);
const MAX_PAYLOAD = Size.mebibytes(5);
/** API Gateway's default integration timeout of a REST API: a longer producer would be cut off mid-write. */
const API_INTEGRATION_TIMEOUT = Duration.seconds(29);
const DEFAULT_PRODUCER_TIMEOUT = Duration.seconds(25);
const PATH_PART = /^[a-zA-Z0-9._-]+$/;
const STAGE_NAME = /^[a-zA-Z0-9_-]+$/;
// A web ACL for an API Gateway stage has the REGIONAL scope; a CLOUDFRONT (global) one cannot be associated with it.
const REGIONAL_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:[a-z]{2}(-[a-z]+)+-\d:\d{12}:regional\/webacl\/[a-zA-Z0-9_-]{1,128}\/[a-zA-Z0-9-]{1,128}$/;

/** A web ACL ARN, when known at synth time, of a regional WAFv2 web ACL. */
function checkWebAclArn(scope: Construct, arn: string | undefined): void {
  if (arn === undefined || Token.isUnresolved(arn)) return;
  if (typeof arn !== 'string' || !REGIONAL_WEB_ACL_ARN.test(arn)) {
    fail(scope, 'webAclArn must be the ARN of a regional WAFv2 web ACL (\'arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>\'; a CLOUDFRONT '
      + `web ACL cannot protect an API Gateway stage), got ${describe(arn)}`);
  }
}

/**
 * An HTTPS endpoint that takes batches of JSON events (`POST /events` with a JSON array, or `{ "records": [...] }`)
 * and writes them to a stream through a `ProducerFunction`.
 *
 * Secure and bounded by default: IAM authorization, request validation against a JSON schema, a stage throttle, a
 * payload size limit, JSON access logs and X-Ray tracing. The response lists each event's outcome: 200 when all
 * were written, 207 when some were not (they are also in the failure queue), 400 for a malformed batch.
 *
 * Why a function and not API Gateway's direct Kinesis integration: a direct `PutRecords` integration answers 200
 * even when entries fail (the caller must parse `FailedRecordCount` and retry those itself, usually out of order),
 * sends one PutRecords call per HTTP request however small, and cannot aggregate, rate-limit per shard or queue
 * what failed. The function batches across the events of a request, retries only failed entries while keeping
 * per-key order, and never loses an event silently.
 */
export class HttpIngestionApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigw.RestApi;
  /** The `POST` method events are sent to. */
  public readonly method: apigw.Method;
  /** The producer function behind the API. */
  public readonly producer: ProducerFunction;
  /** The access log group. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The URL events are posted to. */
  public readonly url: string;

  /**
   * @param scope the construct the API is created in
   * @param id the API's id, unique within `scope`
   * @param props the stream, authorization, throttling and logging
   */
  constructor(scope: Construct, id: string, props: HttpIngestionApiProps) {
    super(scope, id);
    checkRequiredProps(this, props, ['stream', 'producer']);
    checkRequired(this, 'producer.partitionKey', props.producer.partitionKey);
    checkHandedStream(this, 'stream', props.stream);
    // aws-cdk-lib names the stage's construct after it, so it must be known at synth time.
    checkLiteral(this, 'stageName', props.stageName, 'the stage\'s construct is named after it; give a name such as \'v1\'');
    checkName(this, 'stageName', props.stageName, 128, STAGE_NAME, 'letters, digits, underscores and hyphens');
    checkWebAclArn(this, props.webAclArn);
    const resourcePath = props.resourcePath ?? 'events';
    checkName(this, 'resourcePath', resourcePath, 255, PATH_PART, 'letters, digits, periods, underscores and hyphens (one path part)');
    const rate = props.throttlingRateLimit ?? DEFAULT_RATE;
    const burst = props.throttlingBurstLimit ?? DEFAULT_BURST;
    checkRange(this, 'throttlingRateLimit', rate, 1, Number.MAX_SAFE_INTEGER, 'requests/s');
    checkInteger(this, 'throttlingBurstLimit', burst);
    checkRange(this, 'throttlingBurstLimit', burst, 1, Number.MAX_SAFE_INTEGER, 'requests');
    const maxEvents = props.maxEventsPerRequest ?? DEFAULT_MAX_EVENTS;
    checkInteger(this, 'maxEventsPerRequest', maxEvents);
    checkRange(this, 'maxEventsPerRequest', maxEvents, 1, MAX_EVENTS);
    checkLiteral(this, 'maxPayloadSize', props.maxPayloadSize, 'the handler and the request validation are sized from it; give a Size such as Size.kibibytes(512)');
    const payloadBytes = literalBytes(this, 'maxPayloadSize', props.maxPayloadSize ?? DEFAULT_PAYLOAD)!;
    checkRange(this, 'maxPayloadSize', payloadBytes, 1, MAX_PAYLOAD.toBytes(), 'bytes',
      `Lambda takes ${LambdaLimits.MAX_SYNC_PAYLOAD_BYTES} bytes per invocation, envelope included`);
    const timeout = props.producer.timeout ?? DEFAULT_PRODUCER_TIMEOUT;
    const timeoutMs = literalMillis(this, 'producer.timeout', timeout);
    if (timeoutMs !== undefined && timeoutMs > API_INTEGRATION_TIMEOUT.toMilliseconds()) {
      fail(this, `producer.timeout is ${timeout.toHumanString()}, longer than API Gateway's ${API_INTEGRATION_TIMEOUT.toSeconds()}-second integration timeout: ` +
        'the caller would get a 504 while the function still writes, and its retry would write the events twice; use at most 29 seconds');
    }

    this.producer = new ProducerFunction(this, 'Producer', { ...props.producer, stream: props.stream, timeout });
    this.producer.addEnvironment(PRODUCER_ENVIRONMENT.MAX_PAYLOAD_BYTES, String(payloadBytes));

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: props.accessLogRetention ?? logs.RetentionDays.ONE_YEAR });
    const executionLogging = props.executionLoggingLevel ?? apigw.MethodLoggingLevel.OFF;
    this.restApi = new apigw.RestApi(this, 'Api', {
      description: `Ingests batches of JSON events into ${props.stream.node.path}`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        throttlingRateLimit: rate,
        throttlingBurstLimit: burst,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
        loggingLevel: executionLogging,
      },
    });

    const auth = (props.authorization ?? IngestionAuthorization.iam());
    const authConfig = auth.bind(this);
    const model = this.restApi.addModel('EventBatch', {
      contentType: 'application/json',
      modelName: 'EventBatch',
      schema: batchSchema(props.eventSchema ?? defaultEventSchema(props.producer.partitionKey.fieldPath), maxEvents),
    });
    this.method = this.restApi.root.addResource(resourcePath).addMethod('POST', new apigw.LambdaIntegration(this.producer.function), {
      authorizationType: authConfig.authorizationType,
      authorizer: authConfig.authorizer,
      authorizationScopes: authConfig.authorizationScopes,
      requestValidator: new apigw.RequestValidator(this, 'Validator', { restApi: this.restApi, validateRequestBody: true, validateRequestParameters: true }),
      requestModels: { 'application/json': model },
    });
    this.url = this.restApi.urlForPath(`/${resourcePath}`);

    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', { resourceArn: this.restApi.deploymentStage.stageArn, webAclArn: props.webAclArn });
    }
    this.acknowledgeFindings(auth, props, executionLogging);
  }

  /**
   * Lets `grantee` send events (IAM authorization).
   *
   * @param grantee the principal that posts events
   */
  public grantIngest(grantee: iam.IGrantable): iam.Grant {
    return this.method.grantExecute(grantee);
  }

  private acknowledgeFindings(auth: IngestionAuthorization, props: HttpIngestionApiProps, executionLogging: apigw.MethodLoggingLevel): void {
    if (auth.isIam) {
      Validations.of(this.restApi).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'The method uses IAM (SigV4) authorization, meant for services and devices with AWS credentials; Cognito is offered as IngestionAuthorization.cognito()',
      });
      if (!props.webAclArn) {
        Validations.of(this.restApi).acknowledge({
          id: 'AwsSolutions-APIG3',
          reason: 'Every request must be SigV4-signed by an IAM principal granted with grantIngest, and the stage is throttled; associate a web ACL with webAclArn for more',
        });
      }
    }
    if (executionLogging === apigw.MethodLoggingLevel.OFF) {
      Validations.of(this.restApi).acknowledge({
        id: 'AwsSolutions-APIG6',
        reason: 'Access logs record every request; execution logs need the account-wide API Gateway CloudWatch role, which one stack should not own: set executionLoggingLevel once the account has it',
      });
    }
  }
}

/** An event must be an object with the partition key field, so a batch is refused before any of it is written. */
function defaultEventSchema(fieldPath?: string): apigw.JsonSchema {
  if (!fieldPath) return { type: apigw.JsonSchemaType.OBJECT };
  const [head, ...rest] = fieldPath.split('.');
  const inner: apigw.JsonSchema = rest.length > 0
    ? defaultEventSchema(rest.join('.'))
    : { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.NUMBER] };
  return { type: apigw.JsonSchemaType.OBJECT, required: [head], properties: { [head]: inner } };
}

function batchSchema(event: apigw.JsonSchema, maxEvents: number): apigw.JsonSchema {
  const events: apigw.JsonSchema = { type: apigw.JsonSchemaType.ARRAY, items: event, minItems: 1, maxItems: maxEvents };
  return {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'EventBatch',
    oneOf: [
      events,
      { type: apigw.JsonSchemaType.OBJECT, required: ['records'], properties: { records: events } },
    ],
  };
}
