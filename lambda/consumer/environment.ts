import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbCheckpointStore } from './checkpoint';
import type { ConsumerOptions } from './processor';
import { CONSUMER_ENVIRONMENT } from '../../src/contracts/consumer-environment';

/**
 * The runtime options the constructs configure through environment variables (`CONSUMER_STRICT`,
 * `CONSUMER_KEY_CONCURRENCY`, `CONSUMER_CHECKPOINT_TABLE`, `CONSUMER_CHECKPOINT_TTL_SECONDS`). Call it once, at module
 * level. A value that cannot be read throws, so a misconfigured function fails on its first invocation, loudly.
 */
export function consumerOptionsFromEnvironment(client?: DynamoDBClient, env: NodeJS.ProcessEnv = process.env): Pick<ConsumerOptions<never>, 'strict' | 'keyConcurrency' | 'checkpoints'> {
  const strict = env[CONSUMER_ENVIRONMENT.STRICT];
  if (strict !== undefined && strict !== 'true' && strict !== 'false') {
    throw new Error(`${CONSUMER_ENVIRONMENT.STRICT} must be 'true' or 'false', got '${strict}'`);
  }
  const concurrency = env[CONSUMER_ENVIRONMENT.KEY_CONCURRENCY];
  const keyConcurrency = concurrency === undefined ? undefined : Number(concurrency);
  if (keyConcurrency !== undefined && (!Number.isInteger(keyConcurrency) || keyConcurrency < 1)) {
    throw new Error(`${CONSUMER_ENVIRONMENT.KEY_CONCURRENCY} must be a whole number of at least 1, got '${concurrency}'`);
  }
  return { strict: strict === 'true', keyConcurrency, checkpoints: DynamoDbCheckpointStore.fromEnvironment(client, env) };
}
