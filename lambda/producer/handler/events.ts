/**
 * The handler's event contract: what it accepts, how an event becomes a record, and what it answers.
 *
 * Accepted: a direct invocation with `{ "records": [ ... ] }` or a bare JSON array, or an API Gateway proxy event
 * (REST or HTTP API) whose body is one of those (base64 bodies are decoded). Each element is one JSON event; it is
 * written as its compact JSON text, with the partition key read from the configured field.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { UserRecord } from '../../aggregation';

/** A malformed invocation (not a batch of events): the whole request is refused. */
export class BadRequestError extends Error {
  /** The HTTP status the refusal is answered with through API Gateway. */
  public readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.name = 'BadRequestError';
    this.status = status;
  }
}

export interface ParsedInvocation {
  readonly events: readonly unknown[];
  /** The invocation came through API Gateway and must be answered with a proxy response. */
  readonly http: boolean;
}

/**
 * @param maxPayloadBytes largest request body accepted through API Gateway (decoded), refused whole with 413 above it
 */
export function parseInvocation(event: unknown, maxPayloadBytes?: number): ParsedInvocation {
  if (isProxyEvent(event)) {
    const raw = event.body ?? '';
    const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (maxPayloadBytes !== undefined) {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > maxPayloadBytes) {
        throw new BadRequestError(`the request body is ${bytes} bytes, above the limit of ${maxPayloadBytes} bytes: send fewer events per request`, 413);
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new BadRequestError(`the request body is not JSON: ${(err as Error).message}`);
    }
    return { events: batchOf(body), http: true };
  }
  return { events: batchOf(event), http: false };
}

function isProxyEvent(event: unknown): event is APIGatewayProxyEvent | APIGatewayProxyEventV2 {
  const e = event as Partial<APIGatewayProxyEvent & APIGatewayProxyEventV2> | null;
  return typeof e === 'object' && e !== null && !Array.isArray(e) && 'body' in e && ('httpMethod' in e || 'routeKey' in e || 'requestContext' in e);
}

function batchOf(body: unknown): readonly unknown[] {
  if (Array.isArray(body)) return body;
  const records = (body as { records?: unknown } | null)?.records;
  if (Array.isArray(records)) return records;
  throw new BadRequestError('expected a JSON array of events, or an object with a "records" array');
}

/** Builds the record of one event, or says why it cannot. */
export function toRecord(event: unknown, partitionKeyPath: readonly string[] | undefined, randomKey: () => string): UserRecord | string {
  const data = Buffer.from(JSON.stringify(event) ?? 'null', 'utf8');
  if (!partitionKeyPath) return { partitionKey: randomKey(), data };
  let value: unknown = event;
  for (const step of partitionKeyPath) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[step] : undefined;
  }
  if (typeof value === 'string') return { partitionKey: value, data };
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return { partitionKey: String(value), data };
  return `the event has no string or number at '${partitionKeyPath.join('.')}' to use as the partition key`;
}

/** One record's line in the response. */
export interface RecordOutcome {
  readonly index: number;
  readonly status: 'ok' | 'failed';
  readonly shardId?: string;
  readonly sequenceNumber?: string;
  readonly subSequenceNumber?: number;
  readonly possibleDuplicate?: boolean;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly retryable?: boolean;
  /** The record is in the failure queue, so it is not lost although the stream does not have it. */
  readonly failureQueued?: boolean;
}

export interface ProducerResponse {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failureQueued: number;
  readonly results: readonly RecordOutcome[];
}

/** The proxy response: 200 when every record is in the stream, 207 when some are, 400 for a malformed request, 503 when none is. */
export function httpResponse(status: number, body: unknown) {
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function httpStatusOf(response: ProducerResponse): number {
  if (response.failed === 0) return 200;
  if (response.succeeded > 0) return 207;
  const allInvalid = response.results.every((r) => r.errorCode === 'ValidationError');
  return allInvalid ? 400 : 503;
}
