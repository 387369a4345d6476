import { batchPayload } from './batch-payload';
import { consumerConcurrency } from './consumer-concurrency';
import { customerKeyDowngrade } from './customer-key-downgrade';
import { deliveryStreamSource } from './delivery-stream-source';
import { failureDestination } from './failure-destination';
import { failureDestinationEncryption } from './failure-destination-encryption';
import { fanOutConsumers } from './fan-out-consumers';
import { firehoseErrorLogging } from './firehose-error-logging';
import { flinkCheckpointing } from './flink-checkpointing';
import { flinkParallelism } from './flink-parallelism';
import { flinkSourceRegion } from './flink-source-region';
import { foreignSource } from './foreign-source';
import { iteratorAgeAlarm } from './iterator-age-alarm';
import { parallelizationAggregation } from './parallelization-aggregation';
import { producerWriteCapacity } from './producer-write-capacity';
import { recordAgeRetention } from './record-age-retention';
import { recordTooLargeForLambda } from './record-too-large-for-lambda';
import { redshiftStagingPrefix } from './redshift-staging-prefix';
import { streamReadBytes } from './stream-read-bytes';
import { streamReadCalls } from './stream-read-calls';
import { unboundedRetries } from './unbounded-retries';
import { unencryptedDeliveryStream } from './unencrypted-delivery-stream';
import { unusedConsumer } from './unused-consumer';
import { DesignRule } from '../rule';

/** Every cross-part rule, in id order: the pack the plugin and the Aspect run. */
export const CROSS_PART_RULES: DesignRule[] = [
  streamReadCalls, streamReadBytes, fanOutConsumers, unusedConsumer, producerWriteCapacity, recordAgeRetention,
  iteratorAgeAlarm, failureDestination, unboundedRetries, parallelizationAggregation, batchPayload,
  recordTooLargeForLambda, consumerConcurrency, failureDestinationEncryption, customerKeyDowngrade,
  unencryptedDeliveryStream, firehoseErrorLogging, foreignSource, redshiftStagingPrefix, flinkSourceRegion,
  flinkCheckpointing, flinkParallelism, deliveryStreamSource,
];
