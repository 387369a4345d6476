/**
 * The batching, order-keeping Kinesis producer, for your own Node.js functions and services.
 *
 * ```ts
 * import { KinesisClient } from '@aws-sdk/client-kinesis';
 * import { KinesisProducer } from 'cdk-kinesis-patterns/producer';
 *
 * const client = new KinesisClient({ maxAttempts: 1 }); // once per process; the producer owns retries
 * const producer = new KinesisProducer({ client, streamName: 'telemetry', aggregate: false });
 *
 * const results = await producer.putAll(events.map((e) => ({ partitionKey: e.deviceId, data: Buffer.from(JSON.stringify(e)) })));
 * ```
 *
 * See the README (Producers) for the guarantees (per-key order, retries, what is returned) and when to aggregate.
 */
export { KinesisProducer } from './producer';
export { ProducerDefaults } from './options';
export type { KinesisProducerOptions } from './options';
export type { PutResult } from './result';
export { ProducerErrorCode, RecordError } from './errors';
export type { RecordErrorProps } from './errors';
export type { ProducerMetricsSnapshot } from './producer-metrics';
export type { StreamTarget } from './stream';
export { partitionKeyHash } from './hash-key';
export { validateRecord } from './validation';
export type { UserRecord } from '../aggregation';
