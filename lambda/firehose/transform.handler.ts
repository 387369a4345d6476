/**
 * The bundled Firehose transform: JSON records in, filtered and reshaped JSON Lines out, with dynamic partition keys.
 * Configured by the construct through one environment variable, compiled once per container.
 */
import { readTransformConfig } from './config';
import { compileJsonTransform } from './json-transform';
import { createTransformHandler } from './runtime';

export const handler = createTransformHandler(compileJsonTransform(readTransformConfig()));
