/**
 * The contract between the bundled transform construct (synth time) and the bundled transform handler (run time).
 *
 * The construct serializes a `TransformConfig` as JSON into one environment variable; the handler parses it once per
 * container. Both worlds import this file, so it must stay free of imports (no aws-cdk-lib, no Node built-ins).
 */

/** The environment variable that carries the serialized `TransformConfig`. */
export const TRANSFORM_CONFIG_ENV = 'KINESIS_PATTERNS_FIREHOSE_TRANSFORM';

/** Version of the serialized shape; the handler refuses versions it does not know rather than guessing. */
export const TRANSFORM_CONFIG_VERSION = 1;

/** How a filter compares a field with its values. */
export type FilterOperator = 'equals' | 'notEquals' | 'in' | 'notIn' | 'exists' | 'notExists';

/** One filter condition: a record is kept only when every condition holds. */
export interface FilterConfig {
  /** Dotted path of the field, e.g. `detail.level`. */
  readonly field: string;
  readonly operator: FilterOperator;
  /** Compared with strict equality; empty for `exists` and `notExists`. */
  readonly values: ReadonlyArray<string | number | boolean | null>;
}

/** Where the bundled transform reads each record's Iceberg table (and operation), returned in `metadata.otfMetadata`. */
export interface IcebergRoutingFieldsConfig {
  /** The database of every record, when it is not read from a field. */
  readonly database?: string;
  /** Dotted path of the field that holds the database. */
  readonly databaseField?: string;
  /** Dotted path of the field that holds the table. */
  readonly tableField: string;
  /** Dotted path of the field that holds the operation (`insert`, `update` or `delete`); absent: insert. */
  readonly operationField?: string;
}

/** The serialized configuration of the bundled JSON transform. */
export interface TransformConfig {
  readonly version: number;
  /** Dotted paths that must be present and not null; a record without one is ProcessingFailed. */
  readonly requiredFields: ReadonlyArray<string>;
  /** Top-level fields to keep (all others are removed); empty keeps every field. */
  readonly keepFields: ReadonlyArray<string>;
  /** Top-level fields to rename, as `[from, to]` pairs, applied after `keepFields`. */
  readonly renameFields: ReadonlyArray<readonly [string, string]>;
  /** Top-level fields to remove, applied after `keepFields`. */
  readonly dropFields: ReadonlyArray<string>;
  /** Conditions a record must meet to be delivered; one that does not is Dropped. */
  readonly filters: ReadonlyArray<FilterConfig>;
  /** Dynamic partition keys, as `[key, dotted path]` pairs, returned in `metadata.partitionKeys`. */
  readonly partitionKeys: ReadonlyArray<readonly [string, string]>;
  /** Whether to end each record with a newline (JSON Lines objects in S3). */
  readonly appendNewline: boolean;
  /** Iceberg routing metadata to return; absent when the destination is not Iceberg (older configurations lack it). */
  readonly icebergRouting?: IcebergRoutingFieldsConfig;
}
