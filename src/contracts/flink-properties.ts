/**
 * The runtime properties a Flink application construct renders and the job code reads: property group ids and the
 * keys inside them, written once for both worlds (see /work/wt/FLINK-CONTRACT.md for the full text).
 *
 * Managed Service for Apache Flink hands `ApplicationConfiguration.EnvironmentProperties.PropertyGroups` to the job;
 * a PyFlink job reads them from `/etc/flink/application_properties.json`, a JSON list of
 * `{"PropertyGroupId": "...", "PropertyMap": {...}}`. Locally, the job reads the same list from the file named by the
 * environment variable `FLINK_APPLICATION_PROPERTIES` when it is set. Keep this file free of imports.
 */

/** Where the service writes the property groups inside the application's containers. */
export const FLINK_PROPERTIES_FILE = '/etc/flink/application_properties.json';

/** The environment variable a local run names its own properties file with. */
export const FLINK_PROPERTIES_FILE_ENV = 'FLINK_APPLICATION_PROPERTIES';

/** Property group ids. Sources and sinks are `source.<name>` and `sink.<name>`, `<name>` matching `[a-z0-9-]+`. */
export const FLINK_PROPERTY_GROUPS = {
  /** The service's own group for Python applications (only rendered for them). */
  PYTHON_RUN_OPTIONS: 'kinesis.analytics.flink.run.options',
  /** Prefix of a source's group id. */
  SOURCE_PREFIX: 'source.',
  /** Prefix of a sink's group id. */
  SINK_PREFIX: 'sink.',
  /** The user's own settings (`properties` prop). */
  APPLICATION: 'application',
} as const;

/** The pattern a source or sink name follows. */
export const FLINK_CONNECTOR_NAME_PATTERN = /^[a-z0-9-]+$/;

/** Keys of the `kinesis.analytics.flink.run.options` group. */
export const FLINK_PYTHON_RUN_OPTIONS = {
  /** Entry file relative to the zip root, e.g. `main.py`. */
  PYTHON: 'python',
  /** Dependency jar relative to the zip root, e.g. `lib/pyflink-dependencies.jar`. */
  JAR_FILE: 'jarfile',
  /** Extra Python files (PyFlink `--pyFiles`). */
  PY_FILES: 'pyFiles',
  /** Archives (PyFlink `--pyArchives`). */
  PY_ARCHIVES: 'pyArchives',
  /** A requirements file (PyFlink `--pyRequirements`). */
  PY_REQUIREMENTS: 'pyRequirements',
} as const;

/** Keys of a `source.<name>` or `sink.<name>` group. */
export const FLINK_CONNECTOR_KEYS = {
  /** `kinesis`, `firehose` or `s3` (locally also `filesystem` or `datagen`). */
  CONNECTOR: 'connector',
  STREAM_NAME: 'stream.name',
  STREAM_ARN: 'stream.arn',
  AWS_REGION: 'aws.region',
  /** `POLLING` or `EFO` (sources only). */
  READ_MODE: 'read.mode',
  EFO_CONSUMER_NAME: 'efo.consumer.name',
  EFO_CONSUMER_ARN: 'efo.consumer.arn',
  /** `LATEST`, `TRIM_HORIZON` or `AT_TIMESTAMP` (sources only). */
  INITIAL_POSITION: 'initial.position',
  /** ISO-8601, with `AT_TIMESTAMP` only. */
  INITIAL_TIMESTAMP: 'initial.timestamp',
  DELIVERY_STREAM_NAME: 'delivery.stream.name',
  DELIVERY_STREAM_ARN: 'delivery.stream.arn',
  BUCKET_NAME: 'bucket.name',
  BUCKET_ARN: 'bucket.arn',
  /** `s3://bucket/prefix/`. */
  PATH: 'path',
  /** Local runs only: an endpoint such as kinesalite's. */
  AWS_ENDPOINT: 'aws.endpoint',
  /** Local runs only, with `filesystem`: `json`. */
  FORMAT: 'format',
} as const;

/** Values of `connector`. */
export const FLINK_CONNECTORS = {
  KINESIS: 'kinesis',
  FIREHOSE: 'firehose',
  S3: 's3',
  FILESYSTEM: 'filesystem',
  DATAGEN: 'datagen',
} as const;

/** Values of `read.mode`. */
export const FLINK_READ_MODES = { POLLING: 'POLLING', EFO: 'EFO' } as const;

/** Values of `initial.position`. */
export const FLINK_INITIAL_POSITIONS = { LATEST: 'LATEST', TRIM_HORIZON: 'TRIM_HORIZON', AT_TIMESTAMP: 'AT_TIMESTAMP' } as const;
