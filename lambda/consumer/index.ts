/**
 * The consumer runtime, `cdk-kinesis-patterns/consumer`: wraps a record handler for a Lambda Kinesis event source
 * mapping. It decodes and de-aggregates records, keeps per-partition-key order through failures, reports batch item
 * failures so that Lambda resumes at the right record, and optionally skips records an earlier attempt handled.
 *
 * @example
 * import { createKinesisHandler, jsonParser, DynamoDbCheckpointStore } from 'cdk-kinesis-patterns/consumer';
 *
 * export const handler = createKinesisHandler(async (click: Click, record) => { ... }, {
 *   parser: jsonParser<Click>(),
 *   checkpoints: DynamoDbCheckpointStore.fromEnvironment(),
 * });
 */
export { createKinesisHandler, processKinesisBatch, jsonParser } from './processor';
export type { BatchOutcome, ConsumerOptions, RecordHandler, RecordParser } from './processor';
export type { KinesisUserRecord } from './records';
export { InvalidEventError, RecordError, RecordDecodeError, RecordHandlerError, RecordNotAttemptedError } from './errors';
export type { RecordIdentity } from './errors';
export { comparePositions, compareSequenceNumbers, positionKey, parsePositionKey } from './position';
export type { RecordPosition } from './position';
export { consumerOptionsFromEnvironment } from './environment';
export { CONSUMER_ENVIRONMENT, SINK_ENVIRONMENT } from '../../src/contracts/consumer-environment';
export { DynamoDbSink } from './dynamodb-sink';
export type { DynamoDbSinkOptions } from './dynamodb-sink';
export { DynamoDbCheckpointStore, checkpointId } from './checkpoint';
export type { CheckpointKey, CheckpointStore, DynamoDbCheckpointStoreOptions } from './checkpoint';
