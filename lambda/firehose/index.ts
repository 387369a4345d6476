/**
 * The Firehose transform runtime, imported from your own Lambda functions as `cdk-kinesis-patterns/firehose`.
 *
 * Write a function that decides about one record, wrap it with `createTransformHandler`, and the runtime takes care of
 * the Firehose data-transformation contract: every record id answered exactly once and in order, base64 encoding,
 * partition-key metadata, a record that throws marked ProcessingFailed instead of failing the batch, and a response
 * that stays within the 6 MB Lambda limit.
 *
 * @packageDocumentation
 */
export { createTransformHandler, transformBatch } from './runtime';
export type { BatchSummary, RecordTransformer, TransformBatchOptions } from './runtime';
export { ok, dropped, failed, checkOutcome } from './outcome';
export { InvalidTransformEventError } from './event-shape';
export type { OkOutcome, DroppedOutcome, FailedOutcome, RecordOutcome } from './outcome';
export { InputRecord } from './input-record';
export { ResponseBuilder } from './response';
export { compileJsonTransform } from './json-transform';
export type { TransformConfig, FilterConfig, FilterOperator } from '../../src/contracts/transform-config';
export { TRANSFORM_CONFIG_VERSION } from '../../src/contracts/transform-config';
