/**
 * The bundled producer handler's configuration, read once per container from its environment. The producer
 * function construct sets these variables; a wrong value fails the cold start loudly rather than each record.
 */
import { PRODUCER_ENVIRONMENT } from '../../../src/contracts/producer-environment';
import { BYTES, KinesisLimits } from '../../../src/validation/limits';

/** Names of the environment variables the handler reads: the contract with the construct, written once in src/. */
export const ProducerEnv = PRODUCER_ENVIRONMENT;

export interface HandlerConfig {
  readonly streamArn?: string;
  readonly streamName?: string;
  readonly partitionKeyPath?: readonly string[];
  readonly aggregate: boolean;
  readonly bufferTimeMs?: number;
  readonly maxBufferedRecords?: number;
  readonly maxRecordSizeBytes: number;
  readonly percentOfShardLimit?: number;
  readonly maxAttempts?: number;
  readonly failureQueueUrl?: string;
  readonly maxPayloadBytes?: number;
}

export function readConfig(env: Record<string, string | undefined>): HandlerConfig {
  const streamArn = env[ProducerEnv.STREAM_ARN] || undefined;
  const streamName = env[ProducerEnv.STREAM_NAME] || undefined;
  if (!streamArn && !streamName) throw new Error(`the producer handler needs ${ProducerEnv.STREAM_ARN} or ${ProducerEnv.STREAM_NAME}`);
  const aggregation = (env[ProducerEnv.AGGREGATION_ENABLED] ?? 'false').toLowerCase();
  if (aggregation !== 'true' && aggregation !== 'false') {
    throw new Error(`${ProducerEnv.AGGREGATION_ENABLED} is '${env[ProducerEnv.AGGREGATION_ENABLED]}'; use 'true' or 'false'`);
  }
  const path = env[ProducerEnv.PARTITION_KEY_PATH];
  const sizeKib = number(env, ProducerEnv.MAX_RECORD_SIZE_KIB, KinesisLimits.MIN_MAX_RECORD_SIZE_KIB, KinesisLimits.MAX_MAX_RECORD_SIZE_KIB);
  return {
    streamArn,
    streamName,
    partitionKeyPath: path ? path.split('.') : undefined,
    aggregate: aggregation === 'true',
    bufferTimeMs: number(env, ProducerEnv.BUFFER_TIME_MS, 0, Number.MAX_SAFE_INTEGER),
    maxBufferedRecords: number(env, ProducerEnv.MAX_BUFFERED_RECORDS, 1, Number.MAX_SAFE_INTEGER),
    maxRecordSizeBytes: (sizeKib ?? KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES / BYTES.KiB) * BYTES.KiB,
    percentOfShardLimit: number(env, ProducerEnv.RATE_LIMIT_PERCENT, 1, 1000),
    maxAttempts: number(env, ProducerEnv.MAX_ATTEMPTS, 1, 1000),
    failureQueueUrl: env[ProducerEnv.FAILURE_QUEUE_URL] || undefined,
    maxPayloadBytes: number(env, ProducerEnv.MAX_PAYLOAD_BYTES, 1, Number.MAX_SAFE_INTEGER),
  };
}

function number(env: Record<string, string | undefined>, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} is '${raw}'; it must be an integer from ${min} to ${max}`);
  return value;
}
