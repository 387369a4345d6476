/**
 * Every service limit the library relies on, written once.
 *
 * This file is imported by the synth-time constructs in `src/` and bundled into the run-time handlers in
 * `lambda/`, so it must stay free of imports: no aws-cdk-lib, no Node built-ins.
 *
 * Sizes are in bytes, rates per second, durations in seconds, unless the name says otherwise.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Limits of Amazon Kinesis Data Streams.
 *
 * @see https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
 */
export class KinesisLimits {
  /** Entries in one PutRecords request. */
  public static readonly MAX_RECORDS_PER_PUT_RECORDS = 500;
  /** Bytes in one PutRecords request (data blobs plus partition keys) for streams with the default record size. */
  public static readonly MAX_PUT_RECORDS_REQUEST_BYTES = 5 * MiB;
  /** Default maximum size of one record (data blob plus partition key). */
  public static readonly DEFAULT_MAX_RECORD_SIZE_BYTES = 1 * MiB;
  /** Smallest value of the stream's `MaxRecordSizeInKiB` setting. */
  public static readonly MIN_MAX_RECORD_SIZE_KIB = 1024;
  /** Largest value of the stream's `MaxRecordSizeInKiB` setting (10 MiB). */
  public static readonly MAX_MAX_RECORD_SIZE_KIB = 10240;
  /** Shortest partition key, in Unicode characters. */
  public static readonly MIN_PARTITION_KEY_LENGTH = 1;
  /** Longest partition key, in Unicode characters. */
  public static readonly MAX_PARTITION_KEY_LENGTH = 256;
  /** Largest explicit hash key: 2^128 - 1, as a decimal string. */
  public static readonly MAX_HASH_KEY = '340282366920938463463374607431768211455';

  /** Bytes per second one shard accepts. */
  public static readonly SHARD_WRITE_BYTES_PER_SECOND = 1 * MiB;
  /** Records per second one shard accepts. */
  public static readonly SHARD_WRITE_RECORDS_PER_SECOND = 1000;
  /** Bytes per second one shard serves to all shared-throughput (classic) consumers together. */
  public static readonly SHARD_READ_BYTES_PER_SECOND = 2 * MiB;
  /** GetRecords calls per second one shard serves to all shared-throughput consumers together. */
  public static readonly SHARD_GET_RECORDS_CALLS_PER_SECOND = 5;
  /** Records one GetRecords call returns at most. */
  public static readonly MAX_RECORDS_PER_GET_RECORDS = 10_000;
  /** Bytes one GetRecords call returns at most. */
  public static readonly MAX_GET_RECORDS_RESPONSE_BYTES = 10 * MiB;
  /** Bytes per second one shard pushes to each enhanced fan-out consumer. */
  public static readonly SHARD_ENHANCED_FAN_OUT_BYTES_PER_SECOND = 2 * MiB;
  /** Enhanced fan-out consumers registered on one stream. */
  public static readonly MAX_ENHANCED_FAN_OUT_CONSUMERS = 20;

  /** Shortest retention period, in hours. */
  public static readonly MIN_RETENTION_HOURS = 24;
  /** Longest retention period, in hours (365 days). */
  public static readonly MAX_RETENTION_HOURS = 8760;
  /** Retention included in the base price; longer is extended (up to 7 days) then long-term retention. */
  public static readonly EXTENDED_RETENTION_HOURS = 168;

  /** Default shard quota of an account in US East (N. Virginia), US West (Oregon) and Europe (Ireland). */
  public static readonly DEFAULT_SHARD_QUOTA_LARGE_REGIONS = 500;
  /** Default shard quota of an account in every other Region. */
  public static readonly DEFAULT_SHARD_QUOTA_OTHER_REGIONS = 200;
  /** The Regions whose default shard quota is the larger one. */
  public static readonly LARGE_SHARD_QUOTA_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

  /** Write capacity of a new on-demand stream, in MiB/s (it then scales to twice its previous peak). */
  public static readonly ON_DEMAND_INITIAL_WRITE_MIB_PER_SECOND = 4;
  /** Default maximum write capacity of an on-demand stream, in MiB/s. */
  public static readonly ON_DEMAND_MAX_WRITE_MIB_PER_SECOND = 200;
  /** Largest warm throughput of an on-demand stream, in MiB/s (10 GiB/s). */
  public static readonly MAX_WARM_THROUGHPUT_MIB_PER_SECOND = 10240;

  /** Longest stream name. */
  public static readonly MAX_STREAM_NAME_LENGTH = 128;
  /** Longest stream consumer name. */
  public static readonly MAX_CONSUMER_NAME_LENGTH = 128;

  /**
   * Bytes one PutRecords request may carry on a stream whose records may be `maxRecordSizeBytes` large.
   *
   * The request limit is 5 MiB; a stream that allows larger records must at least accept one such record per request.
   *
   * @param maxRecordSizeBytes the stream's maximum record size, in bytes
   */
  public static putRecordsRequestBytes(maxRecordSizeBytes: number): number {
    return Math.max(KinesisLimits.MAX_PUT_RECORDS_REQUEST_BYTES, maxRecordSizeBytes);
  }

  private constructor() {}
}

/**
 * Limits of the KPL aggregated record format.
 *
 * @see https://github.com/awslabs/amazon-kinesis-producer/blob/master/aggregation-format.md
 */
export class AggregationLimits {
  /** The four bytes every aggregated record starts with. */
  public static readonly MAGIC = [0xf3, 0x89, 0x9a, 0xc2];
  /** Length of the MD5 digest that ends every aggregated record. */
  public static readonly DIGEST_BYTES = 16;

  private constructor() {}
}

/**
 * Limits of AWS Lambda event source mappings and functions that matter to stream processing.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
export class LambdaLimits {
  /** Smallest batch size of a Kinesis event source mapping. */
  public static readonly MIN_KINESIS_BATCH_SIZE = 1;
  /** Largest batch size of a Kinesis event source mapping. */
  public static readonly MAX_KINESIS_BATCH_SIZE = 10_000;
  /** Longest batching window, in seconds. */
  public static readonly MAX_BATCHING_WINDOW_SECONDS = 300;
  /** Smallest parallelization factor. */
  public static readonly MIN_PARALLELIZATION_FACTOR = 1;
  /** Largest parallelization factor. */
  public static readonly MAX_PARALLELIZATION_FACTOR = 10;
  /** Longest tumbling window, in seconds. */
  public static readonly MAX_TUMBLING_WINDOW_SECONDS = 900;
  /** Bytes of all of a function's environment variables together (names and values). */
  public static readonly MAX_ENVIRONMENT_BYTES = 4 * 1024;
  /** Largest finite retry attempts (-1 means forever, which we never default to). */
  public static readonly MAX_RETRY_ATTEMPTS = 10_000;
  /** Shortest finite maximum record age, in seconds (-1 means forever). */
  public static readonly MIN_MAXIMUM_RECORD_AGE_SECONDS = 60;
  /** Longest finite maximum record age, in seconds (7 days). */
  public static readonly MAX_MAXIMUM_RECORD_AGE_SECONDS = 604_800;
  /** Bytes of a synchronous invocation's payload, request or response (6 MB). */
  public static readonly MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
  /** The Node.js version the bundled handlers are built for; matches `HANDLER_RUNTIME` in `src/private`. */
  public static readonly HANDLER_NODE_MAJOR_VERSION = 24;
  /**
   * GetRecords calls per second an event source mapping makes on each shard of a shared-throughput stream: Lambda
   * polls each shard at a base rate of once per second, so every classic mapping takes one of the shard's 5 reads/s.
   */
  public static readonly SHARED_THROUGHPUT_POLLS_PER_SECOND_PER_SHARD = 1;
  /** Shortest function timeout Lambda allows, in seconds. */
  public static readonly MIN_FUNCTION_TIMEOUT_SECONDS = 1;
  /** Longest function timeout Lambda allows, in seconds (15 minutes). */
  public static readonly MAX_FUNCTION_TIMEOUT_SECONDS = 900;
  /** Least memory of a function, in MiB. */
  public static readonly MIN_FUNCTION_MEMORY_MIB = 128;
  /** Most memory of a function, in MiB. */
  public static readonly MAX_FUNCTION_MEMORY_MIB = 10_240;

  private constructor() {}
}

/**
 * Limits of Amazon Data Firehose.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/limits.html
 */
export class FirehoseLimits {
  /** Smallest buffering size, in MiB. */
  public static readonly MIN_BUFFER_SIZE_MIB = 1;
  /** Largest buffering size, in MiB. */
  public static readonly MAX_BUFFER_SIZE_MIB = 128;
  /** Smallest buffering interval, in seconds. */
  public static readonly MIN_BUFFER_INTERVAL_SECONDS = 0;
  /** Largest buffering interval, in seconds. */
  public static readonly MAX_BUFFER_INTERVAL_SECONDS = 900;
  /** Smallest buffering size when dynamic partitioning is on, in MiB. */
  public static readonly MIN_DYNAMIC_PARTITIONING_BUFFER_SIZE_MIB = 64;
  /** Largest size of one record put to a delivery stream (1,000 KiB, before base64). */
  public static readonly MAX_RECORD_BYTES = 1000 * KiB;
  /** Records in one PutRecordBatch request. */
  public static readonly MAX_RECORDS_PER_PUT_RECORD_BATCH = 500;
  /** Bytes in one PutRecordBatch request. */
  public static readonly MAX_PUT_RECORD_BATCH_BYTES = 4 * MiB;
  /** Longest retry duration for Redshift, OpenSearch, Splunk and HTTP destinations, in seconds. */
  public static readonly MAX_RETRY_DURATION_SECONDS = 7200;
  /** Bytes of a transformation Lambda's response. */
  public static readonly MAX_TRANSFORM_RESPONSE_BYTES = 6 * 1024 * 1024;
  /** Bytes of input a transformation Lambda receives per invocation at most (buffer hint range 0.2 to 3 MiB). */
  public static readonly MAX_TRANSFORM_BUFFER_SIZE_MIB = 3;
  /** Smallest buffering hint of a Lambda processor, in MiB. */
  public static readonly MIN_TRANSFORM_BUFFER_SIZE_MIB = 0.2;
  /** Buffering size of a Lambda processor when none is set, in MiB. */
  public static readonly DEFAULT_TRANSFORM_BUFFER_SIZE_MIB = 1;
  /** Buffering interval of a Lambda processor when none is set, in seconds. */
  public static readonly DEFAULT_TRANSFORM_BUFFER_INTERVAL_SECONDS = 60;
  /** Longest buffering hint of a Lambda processor, in seconds (the shortest is 0). */
  public static readonly MAX_TRANSFORM_BUFFER_INTERVAL_SECONDS = 900;
  /** Retries of a failed Lambda processor invocation (`NumberOfRetries`), at most. */
  public static readonly MAX_TRANSFORM_RETRIES = 300;
  /** Longest time Firehose waits for one transformation Lambda invocation, in seconds (5 minutes). */
  public static readonly MAX_TRANSFORM_INVOCATION_SECONDS = 300;
  /** Default buffering size of an S3 destination, in MiB. */
  public static readonly DEFAULT_BUFFER_SIZE_MIB = 5;
  /** Default buffering interval of an S3 destination, in seconds. */
  public static readonly DEFAULT_BUFFER_INTERVAL_SECONDS = 300;
  /** Smallest buffering interval when dynamic partitioning is on (zero buffering is not available), in seconds. */
  public static readonly MIN_DYNAMIC_PARTITIONING_BUFFER_INTERVAL_SECONDS = 60;
  /** Smallest buffering size when record format conversion (Parquet, ORC) is on, in MiB. */
  public static readonly MIN_RECORD_FORMAT_CONVERSION_BUFFER_SIZE_MIB = 64;
  /** With dynamic partitioning, end-to-end delay may reach this multiple of the buffering interval (multi-stage buffering). */
  public static readonly DYNAMIC_PARTITIONING_DELAY_FACTOR = 1.5;
  /** Active partitions one delivery stream buffers at once by default; more go to the error prefix (quota, up to 5,000). */
  public static readonly DEFAULT_MAX_ACTIVE_PARTITIONS = 500;
  /** Partition keys one inline JQ query (`MetadataExtractionQuery`) may define. */
  public static readonly MAX_JQ_PARTITION_KEYS = 50;
  /** Characters of an S3 `Prefix` or `ErrorOutputPrefix`. */
  public static readonly MAX_PREFIX_LENGTH = 1024;
  /** Characters of one processor parameter value (for example the JQ `MetadataExtractionQuery`). */
  public static readonly MAX_PROCESSOR_PARAMETER_VALUE_LENGTH = 5120;
  /** Characters of a delivery stream name. */
  public static readonly MAX_DELIVERY_STREAM_NAME_LENGTH = 64;
  /** Shortest retry duration of the Redshift, OpenSearch, Splunk and HTTP destinations, in seconds (0: no retry). */
  public static readonly MIN_RETRY_DURATION_SECONDS = 0;
  /** Retry duration of a Redshift destination when none is set, in seconds (the service default). */
  public static readonly DEFAULT_REDSHIFT_RETRY_DURATION_SECONDS = 3600;
  /** Retry duration of an OpenSearch destination when none is set, in seconds (the service default). */
  public static readonly DEFAULT_OPENSEARCH_RETRY_DURATION_SECONDS = 300;
  /** Retry duration of a Splunk destination when none is set, in seconds. */
  public static readonly DEFAULT_SPLUNK_RETRY_DURATION_SECONDS = 3600;
  /** Retry duration of an HTTP endpoint destination when none is set, in seconds (the service default). */
  public static readonly DEFAULT_HTTP_ENDPOINT_RETRY_DURATION_SECONDS = 300;
  /** Largest buffering size of an OpenSearch Service or OpenSearch Serverless destination, in MiB. */
  public static readonly MAX_OPENSEARCH_BUFFER_SIZE_MIB = 100;
  /** Largest buffering size of a Splunk destination, in MiB (also its default). */
  public static readonly MAX_SPLUNK_BUFFER_SIZE_MIB = 5;
  /** Longest buffering interval of a Splunk destination, in seconds (also its default). */
  public static readonly MAX_SPLUNK_BUFFER_INTERVAL_SECONDS = 60;
  /** Largest buffering size of an HTTP endpoint destination, in MiB. */
  public static readonly MAX_HTTP_ENDPOINT_BUFFER_SIZE_MIB = 64;
  /** Shortest time Firehose waits for a Splunk indexer acknowledgment, in seconds (also the default). */
  public static readonly MIN_SPLUNK_ACK_TIMEOUT_SECONDS = 180;
  /** Longest time Firehose waits for a Splunk indexer acknowledgment, in seconds. */
  public static readonly MAX_SPLUNK_ACK_TIMEOUT_SECONDS = 600;
  /** Characters of a Splunk HEC endpoint URL. */
  public static readonly MAX_SPLUNK_HEC_ENDPOINT_LENGTH = 2048;
  /** Characters of the Redshift table name of a COPY command. */
  public static readonly MAX_REDSHIFT_TABLE_NAME_LENGTH = 512;
  /** Characters of the column list, and of the options, of a Redshift COPY command. */
  public static readonly MAX_REDSHIFT_COPY_TEXT_LENGTH = 204_800;
  /** Characters of an OpenSearch index name. */
  public static readonly MAX_OPENSEARCH_INDEX_NAME_LENGTH = 80;
  /** Characters of an OpenSearch Serverless collection endpoint. */
  public static readonly MAX_OPENSEARCH_COLLECTION_ENDPOINT_LENGTH = 512;
  /** Subnets of the VPC configuration of an OpenSearch destination. */
  public static readonly MAX_VPC_SUBNETS = 16;
  /** Security groups of the VPC configuration of an OpenSearch destination. */
  public static readonly MAX_VPC_SECURITY_GROUPS = 5;
  /** Characters of an HTTP endpoint URL. */
  public static readonly MAX_HTTP_ENDPOINT_URL_LENGTH = 1000;
  /** Characters of an HTTP endpoint's name. */
  public static readonly MAX_HTTP_ENDPOINT_NAME_LENGTH = 256;
  /** Characters of the name of an HTTP endpoint common attribute. */
  public static readonly MAX_HTTP_ATTRIBUTE_NAME_LENGTH = 256;
  /** Characters of the value of an HTTP endpoint common attribute. */
  public static readonly MAX_HTTP_ATTRIBUTE_VALUE_LENGTH = 1024;

  private constructor() {}
}

/**
 * Limits of Firehose's Apache Iceberg Tables destination.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_DestinationTableConfiguration.html
 */
export class IcebergLimits {
  /** Characters of a destination database or table name. */
  public static readonly MAX_NAME_LENGTH = 255;
  /** Default retry duration of an Iceberg destination, in seconds. */
  public static readonly DEFAULT_RETRY_DURATION_SECONDS = 300;
  /** The JQ version Firehose runs routing expressions with. */
  public static readonly JQ_ENGINE = 'JQ-1.6';

  private constructor() {}
}

/**
 * Limits of Firehose's Snowflake destination (Snowpipe Streaming). Its buffering defaults are not S3's: records are
 * inserted as rows, so Firehose buffers little by default.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_SnowflakeDestinationConfiguration.html
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_SnowflakeBufferingHints.html
 * @see https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html
 */
export class SnowflakeLimits {
  /** Largest buffering size, in MiB (the smallest is FirehoseLimits.MIN_BUFFER_SIZE_MIB). */
  public static readonly MAX_BUFFER_SIZE_MIB = 128;
  /** Buffering size when none is set, in MiB (the Firehose guide's Snowflake default). */
  public static readonly DEFAULT_BUFFER_SIZE_MIB = 1;
  /** Longest buffering interval, in seconds (the shortest is 0). */
  public static readonly MAX_BUFFER_INTERVAL_SECONDS = 900;
  /** Buffering interval when none is set, in seconds: zero buffering, the service default. */
  public static readonly DEFAULT_BUFFER_INTERVAL_SECONDS = 0;
  /** Retry duration when none is set, in seconds (the service default). */
  public static readonly DEFAULT_RETRY_DURATION_SECONDS = 60;
  /** Characters of the account URL, at least (`AccountUrl`). */
  public static readonly MIN_ACCOUNT_URL_LENGTH = 24;
  /** Characters of the account URL, at most. */
  public static readonly MAX_ACCOUNT_URL_LENGTH = 2048;
  /** Characters of a database, schema, table, role or column name (Snowflake's identifier limit too). */
  public static readonly MAX_IDENTIFIER_LENGTH = 255;
  /** Characters of a PrivateLink VPC endpoint service id, at least (`PrivateLinkVpceId`). */
  public static readonly MIN_PRIVATE_LINK_VPCE_ID_LENGTH = 47;
  /** Characters of a PrivateLink VPC endpoint service id, at most. */
  public static readonly MAX_PRIVATE_LINK_VPCE_ID_LENGTH = 255;
  /** Characters of the private key in the secret, at least (`PrivateKey`): a shorter value is a placeholder. */
  public static readonly MIN_PRIVATE_KEY_LENGTH = 256;

  private constructor() {}
}

/**
 * Limits of Amazon Redshift that a Firehose delivery to it depends on.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/rs-mgmt-cluster-port.html
 */
export class RedshiftLimits {
  /** Default port of a provisioned cluster and of a Serverless workgroup. */
  public static readonly DEFAULT_PORT = 5439;
  /** Lowest port of a provisioned cluster. */
  public static readonly MIN_CLUSTER_PORT = 1150;
  /** Highest port of a provisioned cluster. */
  public static readonly MAX_CLUSTER_PORT = 65535;
  /** Port ranges of a Serverless workgroup, as [lowest, highest] pairs. */
  public static readonly SERVERLESS_PORT_RANGES = [[5431, 5455], [8191, 8215]];
  /** Characters of a database name. */
  public static readonly MAX_DATABASE_NAME_LENGTH = 64;
  /** Characters of a Serverless workgroup name. */
  public static readonly MAX_WORKGROUP_NAME_LENGTH = 64;
  /** Errors a COPY command may tolerate (`MAXERROR`) at most. */
  public static readonly MAX_COPY_MAX_ERROR = 100_000;

  private constructor() {}
}

/** Byte units, for readable arithmetic in both worlds. */
export const BYTES = { KiB, MiB };

/**
 * Limits of Amazon DynamoDB that the consumer runtime and its sink rely on.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */
export class DynamoDbLimits {
  /** Keys in one BatchGetItem request. */
  public static readonly MAX_BATCH_GET_KEYS = 100;
  /** Bytes of one item, attribute names and values included (400 KB). */
  public static readonly MAX_ITEM_BYTES = 400 * 1000;

  private constructor() {}
}

/**
 * Limits of Amazon SQS that matter to a failure destination.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
export class SqsLimits {
  /** Longest message retention period, in seconds (14 days). */
  public static readonly MAX_MESSAGE_RETENTION_SECONDS = 1_209_600;
  /** Messages in one SendMessageBatch request. */
  public static readonly MAX_MESSAGES_PER_SEND_BATCH = 10;
  /** Bytes of one message body (1 MiB since August 2025; 256 KiB before). */
  public static readonly MAX_MESSAGE_BYTES = 1 * MiB;
  /** Bytes of all message bodies of one SendMessageBatch request together. */
  public static readonly MAX_SEND_BATCH_BYTES = 1 * MiB;

  private constructor() {}
}

/**
 * How the readers of a stream use it, as the cross-part rules count them (service defaults, not settings of ours).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 * @see https://nightlies.apache.org/flink/flink-docs-stable/docs/connectors/datastream/kinesis/
 */
export class StreamReaderLimits {
  /** GetRecords calls per second a Firehose delivery stream with a Kinesis source makes on each shard. */
  public static readonly FIREHOSE_POLLS_PER_SECOND_PER_SHARD = 1;
  /** Interval between GetRecords calls of Flink's polling Kinesis source when none is set, in milliseconds (5 calls/s). */
  public static readonly FLINK_DEFAULT_POLL_INTERVAL_MS = 200;
  /** Batch size of a Kinesis event source mapping when none is set. */
  public static readonly DEFAULT_KINESIS_BATCH_SIZE = 100;
  /** Lambda hands record data to the function base64-encoded: 4 bytes for every 3. */
  public static readonly LAMBDA_EVENT_BASE64_GROWTH = 4 / 3;

  private constructor() {}
}

/** CloudWatch limits the dashboards and alarms are built within. */
export class MonitoringLimits {
  /** Longest dashboard name. */
  public static readonly MAX_DASHBOARD_NAME_LENGTH = 255;
  /** Tallest widget, in grid units. */
  public static readonly MAX_WIDGET_HEIGHT = 1000;
  /** Periods below a minute that graphs and high-resolution metrics accept, in seconds. */
  public static readonly SUB_MINUTE_PERIODS = [1, 5, 10, 30];

  /**
   * Whether a graph can use this period: 1, 5, 10 or 30 seconds, or a whole number of minutes.
   *
   * @param seconds the period, in seconds
   */
  public static isValidGraphPeriod(seconds: number): boolean {
    return Number.isInteger(seconds) && seconds > 0 && (MonitoringLimits.SUB_MINUTE_PERIODS.includes(seconds) || seconds % 60 === 0);
  }
}

/**
 * Firehose's default throughput quota of one delivery stream with direct PUT as its source (PutRecord and
 * PutRecordBatch combined); a quota increase can be requested.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/limits.html
 */
export class FirehoseDirectPutQuotas {
  /** Regions with the larger default quota. */
  public static readonly LARGE_QUOTA_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
  /** Bytes per second in those Regions (5 MiB/s). */
  public static readonly BYTES_PER_SECOND_LARGE_REGIONS = 5 * 1024 * 1024;
  /** Records per second in those Regions. */
  public static readonly RECORDS_PER_SECOND_LARGE_REGIONS = 500_000;
  /** Requests per second in those Regions. */
  public static readonly REQUESTS_PER_SECOND_LARGE_REGIONS = 2_000;
  /** Bytes per second elsewhere (1 MiB/s). */
  public static readonly BYTES_PER_SECOND_OTHER_REGIONS = 1024 * 1024;
  /** Records per second elsewhere. */
  public static readonly RECORDS_PER_SECOND_OTHER_REGIONS = 100_000;
  /** Requests per second elsewhere. */
  public static readonly REQUESTS_PER_SECOND_OTHER_REGIONS = 1_000;
}

/**
 * DynamoDB on-demand capacity a new table can serve at once, before it adapts to a higher peak (or is pre-warmed).
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/on-demand-capacity-mode.html
 */
export class DynamoDbOnDemandLimits {
  /** Write request units per second a new on-demand table sustains at once. */
  public static readonly INITIAL_WRITE_UNITS_PER_SECOND = 4_000;
  /** Bytes of an item one write request unit covers. */
  public static readonly WRITE_UNIT_BYTES = 1024;
}

/**
 * Limits of Amazon Managed Service for Apache Flink (applications and Studio notebooks).
 *
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/limits.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kinesisanalyticsv2-application.html
 */
export class FlinkLimits {
  /** Smallest parallelism per KPU. */
  public static readonly MIN_PARALLELISM_PER_KPU = 1;
  /** Largest parallelism per KPU (one KPU is 1 vCPU and 4 GB of memory). */
  public static readonly MAX_PARALLELISM_PER_KPU = 8;
  /** Smallest parallelism. */
  public static readonly MIN_PARALLELISM = 1;
  /** Default quota of KPUs one application may use (adjustable through a quota increase). */
  public static readonly DEFAULT_MAX_KPUS_PER_APPLICATION = 64;
  /** KPUs billed per Flink application for orchestration, on top of the ones that run the job. */
  public static readonly ORCHESTRATION_KPUS_PER_APPLICATION = 1;
  /** KPUs billed per Studio notebook in interactive mode, for orchestration and interactive development. */
  public static readonly ORCHESTRATION_KPUS_PER_STUDIO_NOTEBOOK = 2;
  /** Running application storage that comes with each KPU, in GB. */
  public static readonly RUNNING_STORAGE_GB_PER_KPU = 50;
  /** Parallelism of a Studio notebook's jobs when not configured. */
  public static readonly DEFAULT_STUDIO_PARALLELISM = 4;
  /** Longest application name. */
  public static readonly MAX_APPLICATION_NAME_LENGTH = 128;
  /** Longest application description. */
  public static readonly MAX_APPLICATION_DESCRIPTION_LENGTH = 1024;
  /** Property groups of one application. */
  public static readonly MAX_PROPERTY_GROUPS = 50;
  /** Longest property group id. */
  public static readonly MAX_PROPERTY_GROUP_ID_LENGTH = 50;
  /** Properties in one property group. */
  public static readonly MAX_PROPERTIES_PER_GROUP = 50;
  /** Longest property key. */
  public static readonly MAX_PROPERTY_KEY_LENGTH = 2048;
  /** Longest property value. */
  public static readonly MAX_PROPERTY_VALUE_LENGTH = 2048;
  /** Shortest checkpoint interval, in milliseconds. */
  public static readonly MIN_CHECKPOINT_INTERVAL_MS = 1;
  /** Checkpoint interval the service uses by default, in milliseconds. */
  public static readonly DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;
  /** Minimum pause between checkpoints the service uses by default, in milliseconds. */
  public static readonly DEFAULT_MIN_PAUSE_BETWEEN_CHECKPOINTS_MS = 5_000;
  /** Subnets of one VPC configuration. */
  public static readonly MAX_VPC_SUBNETS = 16;
  /** Security groups of one VPC configuration. */
  public static readonly MAX_VPC_SECURITY_GROUPS = 5;
  /** Oldest Flink 1.x minor version that runs Python (PyFlink) applications. */
  public static readonly MIN_PYTHON_FLINK_MINOR_VERSION = 13;
  /** Longest Glue database name. */
  public static readonly MAX_GLUE_DATABASE_NAME_LENGTH = 255;

  private constructor() {}
}

/**
 * Amazon MSK as a Firehose source.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_MSKSourceConfiguration.html
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html
 */
export class MskLimits {
  /** Characters of a Kafka topic name (Kafka's own limit; the Firehose API accepts up to 255). */
  public static readonly MAX_TOPIC_NAME_LENGTH = 249;
  /** Characters of an MSK cluster name. */
  public static readonly MAX_CLUSTER_NAME_LENGTH = 64;
  /** Characters of the cluster ARN Firehose accepts (`MSKClusterARN`). */
  public static readonly MAX_CLUSTER_ARN_LENGTH = 512;

  private constructor() {}
}
