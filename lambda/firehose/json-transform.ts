import { EntryMetadata, EntryMetadataCache } from './entry-metadata';
import { compilePath, isJsonObject, resolvePath, type FieldPath } from './fields';
import { textOfBinary, type InputRecord } from './input-record';
import { dropped, EncodedOkOutcome, failed, type RecordOutcome } from './outcome';
import type { RecordTransformer } from './runtime';
import { TRANSFORM_CONFIG_VERSION } from '../../src/contracts/transform-config';
import type { FilterConfig, IcebergRoutingFieldsConfig, TransformConfig } from '../../src/contracts/transform-config';

const NEWLINE = 0x0a;
/** The base64 group of a newline that starts one. */
const NEWLINE_GROUP = 'Cg==';
/**
 * Partition-key (and routing) combinations whose entry metadata a container shares, about 1.5 MB at most: ten times
 * Firehose's default of 500 active partitions per delivery stream, the most its quota can be raised to. Records past
 * it get their own metadata, which is slower, not wrong.
 */
const MAX_METADATA_COMBINATIONS = 5000;

/** The base64 alphabet's character codes, by 6-bit value. */
const ALPHABET = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));
const PAD = 0x3d;

/**
 * The base64 of `binary` followed by a newline, given `encoded`, the base64 of `binary`: only the last group changes
 * (the newline joins the one or two bytes it held), so the rest of the text is kept as it is instead of encoded again,
 * and the new group is one string built from four character codes.
 */
function withNewline(encoded: string, binary: string): string {
  const length = binary.length;
  const tail = length % 3;
  if (tail === 0) return encoded + NEWLINE_GROUP;
  const b0 = binary.charCodeAt(length - tail);
  const b1 = tail === 2 ? binary.charCodeAt(length - 1) : NEWLINE;
  const b2 = tail === 2 ? NEWLINE : 0;
  const group = String.fromCharCode(
    ALPHABET[Math.floor(b0 / 4)],
    ALPHABET[(b0 % 4) * 16 + Math.floor(b1 / 16)],
    ALPHABET[(b1 % 16) * 4 + Math.floor(b2 / 64)],
    tail === 2 ? ALPHABET[b2 % 64] : PAD,
  );
  return encoded.slice(0, encoded.length - 4) + group;
}

type Predicate = (record: Record<string, unknown>) => boolean;

function compileFilter(filter: FilterConfig): Predicate {
  const path = compilePath(filter.field);
  const values = filter.values;
  switch (filter.operator) {
    case 'equals': {
      const expected = values[0];
      return (r) => resolvePath(r, path) === expected;
    }
    case 'notEquals': {
      const expected = values[0];
      return (r) => resolvePath(r, path) !== expected;
    }
    case 'in': {
      const set = new Set<unknown>(values);
      return (r) => set.has(resolvePath(r, path));
    }
    case 'notIn': {
      const set = new Set<unknown>(values);
      return (r) => !set.has(resolvePath(r, path));
    }
    case 'exists':
      return (r) => resolvePath(r, path) !== undefined;
    case 'notExists':
      return (r) => resolvePath(r, path) === undefined;
    default:
      throw new Error(`unknown filter operator '${String((filter as FilterConfig).operator)}'`);
  }
}

/** Builds the reshaping step, or undefined when the record's JSON text can be delivered as it came. */
function compileReshape(config: TransformConfig): ((record: Record<string, unknown>) => Record<string, unknown>) | undefined {
  if (config.keepFields.length === 0 && config.renameFields.length === 0 && config.dropFields.length === 0) return undefined;
  const keep = config.keepFields.length > 0 ? config.keepFields : undefined;
  const rename = new Map(config.renameFields.map(([from, to]) => [from, to] as const));
  const drop = new Set(config.dropFields);
  return (record) => {
    const out: Record<string, unknown> = {};
    const keys = keep ?? Object.keys(record);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (drop.has(key)) continue;
      const value = record[key];
      if (value === undefined) continue;
      out[rename.get(key) ?? key] = value;
    }
    return out;
  };
}

const OPERATIONS = new Set(['insert', 'update', 'delete']);

interface Routed extends Record<string, string> {
  destinationDatabaseName: string;
  destinationTableName: string;
  operation: string;
}

type Routing = (record: Record<string, unknown>) => Routed | string;

/** Builds the Iceberg routing step: the record's `otfMetadata`, or why it cannot be routed. */
function compileRouting(config: IcebergRoutingFieldsConfig): Routing {
  const databasePath = config.databaseField === undefined ? undefined : compilePath(config.databaseField);
  const tablePath = compilePath(config.tableField);
  const operationPath = config.operationField === undefined ? undefined : compilePath(config.operationField);
  const text = (record: Record<string, unknown>, path: FieldPath, field: string, what: string): string => {
    const value = resolvePath(record, path);
    if (typeof value !== 'string' || value.length === 0) {
      throw new Error(`Iceberg ${what}: field '${field}' is ${value === undefined ? 'missing' : typeof value === 'string' ? 'empty' : `not a string (${value === null ? 'null' : typeof value})`}`);
    }
    return value;
  };
  return (record) => {
    try {
      const destinationDatabaseName = databasePath ? text(record, databasePath, config.databaseField!, 'database') : config.database!;
      const destinationTableName = text(record, tablePath, config.tableField, 'table');
      let operation = 'insert';
      if (operationPath) {
        operation = text(record, operationPath, config.operationField!, 'operation').toLowerCase();
        if (!OPERATIONS.has(operation)) return `Iceberg operation: field '${config.operationField}' is '${operation}', not insert, update or delete`;
      }
      return { destinationDatabaseName, destinationTableName, operation };
    } catch (error) {
      return (error as Error).message;
    }
  };
}

/**
 * Compiles the bundled JSON transform: parse, filter, check required fields, extract partition keys, keep/rename/drop
 * fields, append a newline.
 *
 * - data that is not a JSON object: ProcessingFailed;
 * - a filter that does not hold: Dropped (filters run before the required-field check, so records nobody wants are
 *   dropped rather than reported as failures);
 * - a required field that is missing or null: ProcessingFailed;
 * - a partition key whose field is missing, empty, or not a string, number or boolean: ProcessingFailed, since
 *   Firehose could not place the record under its prefix;
 * - with Iceberg routing, a database or table field that is missing or not a non-empty string, or an operation other
 *   than insert, update or delete: ProcessingFailed, since Firehose could not route the record.
 *
 * When no field is kept, renamed or dropped, the record's original bytes are delivered (with the newline), which
 * saves a JSON.stringify per record and keeps the producer's formatting.
 */
export function compileJsonTransform(config: TransformConfig): RecordTransformer {
  if (config.version !== TRANSFORM_CONFIG_VERSION) {
    throw new Error(`transform configuration version ${config.version} is not supported by this handler (expects ${TRANSFORM_CONFIG_VERSION})`);
  }
  const filters = config.filters.map(compileFilter);
  const required: Array<readonly [string, FieldPath]> = config.requiredFields.map((f) => [f, compilePath(f)] as const);
  const partitionKeys: Array<readonly [string, string, FieldPath]> = config.partitionKeys.map(([key, field]) => [key, field, compilePath(field)] as const);
  const reshape = compileReshape(config);
  const appendNewline = config.appendNewline;
  const routing = config.icebergRouting ? compileRouting(config.icebergRouting) : undefined;
  const depth = partitionKeys.length + (routing === undefined ? 0 : 3);
  // Lives with the compiled transform, across invocations of a container: combinations recur from batch to batch.
  const cache = depth === 0 ? undefined : new EntryMetadataCache(depth, MAX_METADATA_COMBINATIONS);
  // Overwritten by every record before it is read; the transform is synchronous, so records never share it.
  const values = new Array<string>(depth);

  return (input: InputRecord): RecordOutcome => {
    const binary = input.binaryData();
    let parsed: unknown;
    try {
      parsed = JSON.parse(textOfBinary(binary));
    } catch (error) {
      return failed(`not JSON: ${(error as Error).message}`);
    }
    if (!isJsonObject(parsed)) return failed(`not a JSON object: got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`);

    for (let i = 0; i < filters.length; i++) {
      if (!filters[i](parsed)) return dropped();
    }
    for (let i = 0; i < required.length; i++) {
      const value = resolvePath(parsed, required[i][1]);
      if (value === undefined || value === null) return failed(`required field '${required[i][0]}' is missing`);
    }

    // The partition key values, then the routing values, name the record's entry metadata in the cache.
    for (let i = 0; i < partitionKeys.length; i++) {
      const [key, field, path] = partitionKeys[i];
      const value = resolvePath(parsed, path);
      const type = typeof value;
      if (type !== 'string' && type !== 'number' && type !== 'boolean') {
        return failed(`partition key '${key}': field '${field}' is ${value === undefined ? 'missing' : `not a string, number or boolean (${value === null ? 'null' : type})`}`);
      }
      const text = String(value);
      if (text.length === 0) return failed(`partition key '${key}': field '${field}' is empty`);
      values[i] = text;
    }
    let routed: Routed | undefined;
    if (routing !== undefined) {
      const result = routing(parsed);
      if (typeof result === 'string') return failed(result);
      routed = result;
      values[partitionKeys.length] = result.destinationDatabaseName;
      values[partitionKeys.length + 1] = result.destinationTableName;
      values[partitionKeys.length + 2] = result.operation;
    }
    let metadata: EntryMetadata | undefined;
    if (cache !== undefined) {
      metadata = cache.get(values);
      if (metadata === undefined) {
        let keys: Record<string, string> | undefined;
        if (partitionKeys.length > 0) {
          keys = {};
          for (let i = 0; i < partitionKeys.length; i++) keys[partitionKeys[i][0]] = values[i];
        }
        metadata = new EntryMetadata(keys, routed, true);
        cache.set(values, metadata);
      }
    }

    if (reshape !== undefined) {
      const text = appendNewline ? `${JSON.stringify(reshape(parsed))}\n` : JSON.stringify(reshape(parsed));
      // btoa takes one byte a character: only ASCII text (one native length count says so) is its own bytes.
      return new EncodedOkOutcome(Buffer.byteLength(text, 'utf8') === text.length ? btoa(text) : Buffer.from(text, 'utf8').toString('base64'), metadata);
    }
    // The original bytes: their base64 is the record's own (checked when it was decoded).
    const encoded = input.base64Data;
    const length = binary.length;
    if (!appendNewline || (length !== 0 && binary.charCodeAt(length - 1) === NEWLINE)) return new EncodedOkOutcome(encoded, metadata);
    return new EncodedOkOutcome(withNewline(encoded, binary), metadata);
  };
}
