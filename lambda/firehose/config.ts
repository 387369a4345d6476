import { TRANSFORM_CONFIG_ENV, type TransformConfig } from '../../src/contracts/transform-config';

/**
 * Reads the bundled transform's configuration from its environment. A missing or unreadable configuration is a
 * deployment error, so it throws at cold start: every invocation would fail the same way, and Firehose's retries and
 * error logs make that visible at once, instead of every record silently going to the error prefix.
 */
export function readTransformConfig(env: NodeJS.ProcessEnv = process.env): TransformConfig {
  const raw = env[TRANSFORM_CONFIG_ENV];
  if (raw === undefined || raw === '') throw new Error(`${TRANSFORM_CONFIG_ENV} is not set: deploy this handler with the BundledTransform construct`);
  try {
    return JSON.parse(raw) as TransformConfig;
  } catch (error) {
    throw new Error(`${TRANSFORM_CONFIG_ENV} is not valid JSON: ${(error as Error).message}`);
  }
}
