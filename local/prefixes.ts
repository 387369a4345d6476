/**
 * Firehose's S3 key expressions, evaluated as the service does: `!{timestamp:<Java DateTimeFormatter pattern>}` (in
 * UTC, from the batch's arrival time), `!{partitionKeyFromLambda:<key>}` and `!{partitionKeyFromQuery:<key>}` (from
 * dynamic partitioning), `!{firehose:error-output-type}` and `!{firehose:random-string}`. Without a prefix, Firehose
 * writes under `YYYY/MM/dd/HH/`.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
 */
import { randomBytes } from 'crypto';

export interface PrefixContext {
  readonly at: number;
  readonly partitionKeys?: Readonly<Record<string, string>>;
  readonly errorOutputType?: string;
}

/** A partition key the prefix names and the record does not have. */
export class MissingPartitionKeyError extends Error {}

const PATTERN = /yyyy|yy|MM|dd|HH|mm|ss|'[^']*'/g;

export function formatTimestamp(pattern: string, at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return pattern.replace(PATTERN, (t) => {
    switch (t) {
      case 'yyyy': return String(d.getUTCFullYear());
      case 'yy': return two(d.getUTCFullYear() % 100);
      case 'MM': return two(d.getUTCMonth() + 1);
      case 'dd': return two(d.getUTCDate());
      case 'HH': return two(d.getUTCHours());
      case 'mm': return two(d.getUTCMinutes());
      case 'ss': return two(d.getUTCSeconds());
      default: return t.slice(1, -1);
    }
  });
}

export function evaluatePrefix(prefix: string | undefined, ctx: PrefixContext): string {
  if (prefix === undefined || prefix === '') return formatTimestamp('yyyy/MM/dd/HH/', ctx.at);
  return prefix.replace(/!\{([a-zA-Z]+):([^}]*)\}/g, (_m, namespace: string, arg: string) => {
    switch (namespace) {
      case 'timestamp': return formatTimestamp(arg, ctx.at);
      case 'partitionKeyFromLambda':
      case 'partitionKeyFromQuery': {
        const v = ctx.partitionKeys?.[arg];
        if (v === undefined) throw new MissingPartitionKeyError(`no partition key '${arg}' for ${namespace}`);
        return v;
      }
      case 'firehose':
        if (arg === 'error-output-type') return ctx.errorOutputType ?? 'processing-failed';
        if (arg === 'random-string') return randomBytes(8).toString('base64url').slice(0, 11);
        return arg;
      default: return `${namespace}:${arg}`;
    }
  });
}

/** The object name Firehose gives a delivered file: `<stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>`. */
export function objectName(deliveryStream: string, at: number, uuid: string, extension: string): string {
  return `${deliveryStream}-1-${formatTimestamp('yyyy-MM-dd-HH-mm-ss', at)}-${uuid}${extension}`;
}

/**
 * Evaluates the jq query of a MetadataExtraction processor for the shape Firehose documents, `{key: .path, ...}`;
 * returns undefined for a field the record lacks.
 */
export function extractMetadata(query: string, record: unknown): Record<string, string> | undefined {
  const body = query.trim().replace(/^\{|\}$/g, '');
  const out: Record<string, string> = {};
  for (const part of body.split(',')) {
    const m = /^\s*"?([A-Za-z0-9_-]+)"?\s*:\s*\.([A-Za-z0-9_.]+)\s*$/.exec(part);
    if (!m) return undefined;
    let v: unknown = record;
    for (const step of m[2].split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[step] : undefined;
    if (v === undefined || v === null) return undefined;
    out[m[1]] = String(v);
  }
  return out;
}
