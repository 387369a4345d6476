/**
 * The environment variables through which the constructs configure the consumer runtime, written once for both
 * worlds: the constructs set them, the bundled handlers (which import this file) read them. Keep it free of imports.
 */
export const CONSUMER_ENVIRONMENT = {
  /** Name of the checkpoint table; idempotency is on when it is set. */
  CHECKPOINT_TABLE: 'CONSUMER_CHECKPOINT_TABLE',
  /** Seconds a checkpoint outlives its last update. */
  CHECKPOINT_TTL_SECONDS: 'CONSUMER_CHECKPOINT_TTL_SECONDS',
  /** `true` to stop a shard at its first failure. */
  STRICT: 'CONSUMER_STRICT',
  /** Partition keys handled at the same time. */
  KEY_CONCURRENCY: 'CONSUMER_KEY_CONCURRENCY',
} as const;

export const SINK_ENVIRONMENT = {
  /** The table the sink writes to. */
  TABLE_NAME: 'SINK_TABLE_NAME',
  /** The table's partition key attribute. */
  PARTITION_KEY_ATTRIBUTE: 'SINK_PARTITION_KEY_ATTRIBUTE',
  /** The record field whose value is the item's partition key; unset: the record's Kinesis partition key. */
  PARTITION_KEY_FIELD: 'SINK_PARTITION_KEY_FIELD',
  /** The table's sort key attribute, when it has one. */
  SORT_KEY_ATTRIBUTE: 'SINK_SORT_KEY_ATTRIBUTE',
  /** The record field whose value is the item's sort key. */
  SORT_KEY_FIELD: 'SINK_SORT_KEY_FIELD',
  /** A numeric record field that orders versions of an item; unset: the record's stream position. */
  VERSION_FIELD: 'SINK_VERSION_FIELD',
} as const;

/**
 * Attributes the DynamoDB sink writes into every item besides the record's fields and the keys: a table key may not
 * be one of them, since the sink would overwrite it.
 */
export const SINK_ATTRIBUTES = {
  POSITION: 'kinesisPosition',
  SEQUENCE_NUMBER: 'kinesisSequenceNumber',
  SUB_SEQUENCE_NUMBER: 'kinesisSubSequenceNumber',
  SHARD_ID: 'kinesisShardId',
} as const;
