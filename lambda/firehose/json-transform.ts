import { compilePath, isJsonObject, resolvePath, type FieldPath } from './fields';
import type { InputRecord } from './input-record';
import { dropped, EncodedOkOutcome, failed, type RecordOutcome } from './outcome';
import type { RecordTransformer } from './runtime';
import { TRANSFORM_CONFIG_VERSION } from '../../src/contracts/transform-config';
import type { FilterConfig, IcebergRoutingFieldsConfig, TransformConfig } from '../../src/contracts/transform-config';

const NEWLINE = 0x0a;
/** The base64 group of a newline that starts one. */
const NEWLINE_GROUP = Buffer.from('\n').toString('base64');

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

type Routing = (record: Record<string, unknown>) => Record<string, string> | string;

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

  return (input: InputRecord): RecordOutcome => {
    const { buffer, length } = input.dataWithSpareByte();
    let parsed: unknown;
    try {
      parsed = JSON.parse(buffer.toString('utf8', 0, length));
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

    let keys: Record<string, string> | undefined;
    if (partitionKeys.length > 0) {
      keys = {};
      for (let i = 0; i < partitionKeys.length; i++) {
        const [key, field, path] = partitionKeys[i];
        const value = resolvePath(parsed, path);
        const type = typeof value;
        if (type !== 'string' && type !== 'number' && type !== 'boolean') {
          return failed(`partition key '${key}': field '${field}' is ${value === undefined ? 'missing' : `not a string, number or boolean (${value === null ? 'null' : type})`}`);
        }
        const text = String(value);
        if (text.length === 0) return failed(`partition key '${key}': field '${field}' is empty`);
        keys[key] = text;
      }
    }

    let otfMetadata: Record<string, string> | undefined;
    if (routing !== undefined) {
      const routed = routing(parsed);
      if (typeof routed === 'string') return failed(routed);
      otfMetadata = routed;
    }

    if (reshape !== undefined) {
      const data = Buffer.from(appendNewline ? `${JSON.stringify(reshape(parsed))}\n` : JSON.stringify(reshape(parsed)), 'utf8');
      if (otfMetadata) return keys ? { result: 'Ok', data, partitionKeys: keys, otfMetadata } : { result: 'Ok', data, otfMetadata };
      return keys ? { result: 'Ok', data, partitionKeys: keys } : { result: 'Ok', data };
    }
    // The original bytes: their base64 is the record's own (checked when it was decoded), and with a newline only its
    // last group changes.
    const encoded = input.base64Data;
    if (!appendNewline || (length !== 0 && buffer[length - 1] === NEWLINE)) return new EncodedOkOutcome(encoded, keys, otfMetadata);
    const tail = length % 3;
    buffer[length] = NEWLINE;
    return new EncodedOkOutcome(tail === 0 ? encoded + NEWLINE_GROUP : encoded.slice(0, encoded.length - 4) + buffer.toString('base64', length - tail, length + 1), keys,
      otfMetadata);
  };
}
