/**
 * The bundled producer function: writes batches of JSON events to a Kinesis data stream through the batching,
 * order-keeping producer, and sends what could not be written to an SQS failure queue.
 *
 * Event contract
 * - Direct invocation: `{ "records": [ {...}, ... ] }` or a bare array `[ {...}, ... ]`.
 * - API Gateway proxy event (REST API or HTTP API, payload 1.0 or 2.0): the body is one of the above (base64
 *   bodies are decoded).
 * Each element is one event, written as its compact JSON text. Its partition key is the value at
 * `PARTITION_KEY_PATH` (a dot path such as `deviceId` or `device.id`; strings and numbers), or a random key when
 * the variable is unset (no ordering then, but even spread).
 *
 * Response (direct invocation), one result per event, in input order:
 * ```json
 * { "total": 3, "succeeded": 2, "failed": 1, "failureQueued": 1,
 *   "results": [
 *     { "index": 0, "status": "ok", "shardId": "shardId-000000000001", "sequenceNumber": "4963...", "possibleDuplicate": false },
 *     { "index": 1, "status": "failed", "errorCode": "ValidationError", "errorMessage": "...", "retryable": false, "failureQueued": true },
 *     { "index": 2, "status": "ok", "shardId": "...", "sequenceNumber": "...", "subSequenceNumber": 4, "possibleDuplicate": false } ] }
 * ```
 * Through API Gateway the same body comes with status 200 (all written), 207 (some), 400 (a malformed request, or
 * every event invalid) or 503 (none written). A malformed direct invocation throws.
 *
 * Environment: see `ProducerEnv` in ./handler/config.ts (STREAM_ARN or STREAM_NAME, PARTITION_KEY_PATH,
 * AGGREGATION_ENABLED, BUFFER_TIME_MS, MAX_BUFFERED_RECORDS, MAX_RECORD_SIZE_KIB, RATE_LIMIT_PERCENT, MAX_ATTEMPTS,
 * FAILURE_QUEUE_URL). Permissions: kinesis:PutRecords, kinesis:ListShards (rate limiting and aggregation),
 * kms:GenerateDataKey on an encrypted stream, sqs:SendMessage on the failure queue.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { readConfig } from './handler/config';
import { FailureQueue } from './handler/failure-queue';
import { createProducerHandler } from './handler/producer-handler';
import { KinesisProducer } from './producer';

// Once per container: the clients keep their connections alive between invocations, and the producer its shard
// map. `maxAttempts: 1` because the producer owns retries; SDK retries would multiply its attempts.
const config = readConfig(process.env);
const kinesis = new KinesisClient({ maxAttempts: 1 });
const producer = new KinesisProducer({
  client: kinesis,
  streamArn: config.streamArn,
  streamName: config.streamName,
  aggregate: config.aggregate,
  bufferTimeMs: config.bufferTimeMs,
  maxBufferedRecords: config.maxBufferedRecords,
  maxRecordSizeBytes: config.maxRecordSizeBytes,
  percentOfShardLimit: config.percentOfShardLimit,
  maxAttempts: config.maxAttempts,
});
const failureQueue = config.failureQueueUrl ? new FailureQueue(new SQSClient({}), config.failureQueueUrl) : undefined;

export const handler: (event: unknown, context: Context) => Promise<unknown> = createProducerHandler({ config, producer, failureQueue });
