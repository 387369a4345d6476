/**
 * Names of the environment variables the bundled producer handler reads (lambda/producer/handler/config.ts) and the
 * producer function construct sets: one contract, written once. No imports, so both worlds can use it.
 */
export const PRODUCER_ENVIRONMENT = {
  /** The stream's ARN (preferred) ... */
  STREAM_ARN: 'STREAM_ARN',
  /** ... or its name. One of the two is required. */
  STREAM_NAME: 'STREAM_NAME',
  /** Dot path of the JSON field holding the partition key. Unset: a random key per event. */
  PARTITION_KEY_PATH: 'PARTITION_KEY_PATH',
  /** `true` to write KPL aggregated records. Default `false`. */
  AGGREGATION_ENABLED: 'AGGREGATION_ENABLED',
  /** Longest a record waits for companions, in milliseconds. Default 100. */
  BUFFER_TIME_MS: 'BUFFER_TIME_MS',
  /** Buffered records that trigger a send. Default: one full PutRecords call (500) without aggregation. */
  MAX_BUFFERED_RECORDS: 'MAX_BUFFERED_RECORDS',
  /** The stream's `MaxRecordSizeInKiB`. Default 1024. */
  MAX_RECORD_SIZE_KIB: 'MAX_RECORD_SIZE_KIB',
  /** Share of each shard's write limits to use, in percent. Default 100. */
  RATE_LIMIT_PERCENT: 'RATE_LIMIT_PERCENT',
  /** PutRecords attempts per record. Default 10. */
  MAX_ATTEMPTS: 'MAX_ATTEMPTS',
  /** URL of the SQS queue that receives records that could not be written. Unset: they are only returned. */
  FAILURE_QUEUE_URL: 'FAILURE_QUEUE_URL',
  /** Largest request body the handler accepts through API Gateway, in bytes. Unset: no limit but Lambda's own. */
  MAX_PAYLOAD_BYTES: 'MAX_PAYLOAD_BYTES',
} as const;
