import { RuleSeverity } from './rule';
import { RuleInfo } from '../kinesis-design';

/**
 * A per-part rule: checked by one construct while it is built (an error thrown with the construct path, or a warning
 * `cdk-kinesis-patterns:<id>` that can be acknowledged). `evidence` is a fragment of the rule's message, so a test can
 * show the rule is still in the code.
 */
export interface PartRule extends RuleInfo { readonly evidence: string }

const part = (scope: string, id: string, severity: RuleSeverity, what: string, why: string, fix: string, evidence: string): PartRule =>
  ({ id, severity, what, why, fix, scope, evidence });
const W = RuleSeverity.WARNING;
const E = RuleSeverity.ERROR;

/** The rules the constructs check while they are built; the README table lists them with the cross-part ones. */
export const PART_RULES: PartRule[] = [
  part('DataStream', 'Unencrypted', W, 'A stream created without encryption at rest.', 'Records sit unencrypted in the stream for the whole retention.', 'Use StreamEncryption.MANAGED (no extra cost) or KMS.', 'the stream is not encrypted at rest'),
  part('DataStream', 'GetRecordsOversubscribed', W, 'More shared-throughput consumers registered on a stream than its 5 GetRecords calls/s per shard serve.', 'Reads are throttled and every consumer falls behind.', 'Move some consumers to enhanced fan-out.', 'serves 5 GetRecords calls/s to all of them together'),
  part('DataStream', 'UndeclaredSharedConsumer', W, 'More shared-throughput consumers than the throughput declares.', 'They share 2 MiB/s per shard, so the planned shards may not carry the reads.', 'Declare them in throughput.sharedThroughputConsumers, or use enhanced fan-out.', 'shared-throughput consumers read this stream but throughput declares'),
  part('DataStream', 'UndeclaredFanOutConsumer', W, 'More enhanced fan-out consumers than the throughput declares.', 'The cost estimate leaves the others out.', 'Declare them in throughput.enhancedFanOutConsumers.', 'enhanced fan-out consumers are registered but throughput declares'),
  part('DataStream', 'CapacityPlan<n>', W, 'A capacity-plan warning: the plan is near a limit (shard quota, on-demand maximum, records or bytes per shard).', 'A plan at its limit leaves no headroom for peaks.', 'Follow the warning: raise the quota, change the mode, or add headroom.', 'CapacityPlan${i}'),
  part('DataStream', 'StreamModeShardCount', E, 'shardCount with on-demand mode, or warm throughput with provisioned mode.', 'Kinesis refuses the combination.', 'Remove shardCount (on-demand) or use StreamMode.PROVISIONED.', 'cannot be given with on-demand mode'),
  part('DataStream', 'RetentionRange', E, 'A retention that is not a whole number of hours from 24 hours to 365 days.', 'Kinesis refuses it.', 'Give a whole number of hours in range.', 'Kinesis keeps records from 24 hours to 365 days'),
  part('DataStream', 'ShardQuota', E, 'A shard count above the account\'s shard quota in the Region.', 'The stream fails to create or to scale.', 'Request a quota increase and set accountShardQuota, or use on-demand mode.', 'The account shard quota here is'),
  part('DataStream', 'MaxRecordSize', E, 'A maximum record size that is not a whole number of KiB from 1 MiB to 10 MiB.', 'Kinesis refuses it.', 'Give a size in range.', 'maxRecordSize must be a whole number of KiB'),
  part('ProducerFunction', 'FailureQueueMessageSize', W, 'A brought failure queue that accepts smaller messages than the failure messages the producer sends.', 'Large records that cannot be written would not be queued either.', 'Set the queue\'s maxMessageSizeBytes to 1 MiB.', 'accepts messages up to'),
  part('LambdaStreamConsumer', 'SharedReadsOversubscribed', W, 'More than 5 shared-throughput consumers on one stream.', 'Each polls every shard once a second; a shard serves 5 calls/s in all.', 'Use StreamReadMode.enhancedFanOut() for some.', 'they will be throttled. Use StreamReadMode.enhancedFanOut() for some'),
  part('LambdaStreamConsumer', 'SharedBytesOversubscribed', W, 'More shared-throughput consumers than keep up at the full write rate.', 'A shard serves 2 MiB/s to all of them together.', 'Use StreamReadMode.enhancedFanOut() for some.', 'so at the full write rate of 1 MiB/s per shard'),
  part('LambdaStreamConsumer', 'ParallelizationWithAggregation', W, 'A parallelization factor above 1 without saying whether records are KPL-aggregated.', 'Per-key order is lost across concurrent batches of aggregated records.', 'Set aggregatedRecords to false to acknowledge, or true to have it refused.', 'per-key order is lost across concurrent batches'),
  part('LambdaStreamConsumer', 'FiltersOnAggregates', W, 'Event filters on KPL-aggregated records.', 'Filters see the aggregate, so a data pattern matches nothing.', 'Filter in the handler instead.', 'filters see the KPL aggregate'),
  part('LambdaStreamConsumer', 'NoBatchItemFailures', W, 'reportBatchItemFailures turned off.', 'Lambda retries a whole batch for one failed record.', 'Leave reportBatchItemFailures on.', 'reportBatchItemFailures is off'),
  part('LambdaStreamConsumer', 'RecordAgeBeyondRetention', W, 'maxRecordAge longer than the stream\'s retention.', 'Records expire from the stream first, so the limit never applies.', 'Set maxRecordAge below the retention.', 'records expire from the stream first'),
  part('LambdaStreamConsumer', 'RuntimeNotConfigured', W, 'Runtime settings for a function the construct cannot configure.', 'strict, keyConcurrency and idempotency would not take effect.', 'Set the listed environment variables on the function yourself.', 'is not a lambda.Function the construct can configure'),
  part('S3DeliveryStream', 'FirehoseLargeRecords', W, 'A source stream that accepts records above 1 MiB.', 'Firehose was designed around 1 MiB records.', 'Check Firehose delivers records that large, or keep producers below 1 MiB.', 'more than the'),
  part('S3DeliveryStream', 'OverlappingPrefixes', W, 'Two outputs writing to the same bucket under overlapping folders.', 'A table over one reads the other.', 'Give each output its own leading folder.', 'write to the same bucket under overlapping folders'),
  part('S3DeliveryStream', 'ErrorOutputType', E, 'A prefix with expressions and an error prefix without !{firehose:error-output-type}.', 'Firehose refuses it.', 'Add !{firehose:error-output-type} to errorOutputPrefix.', 'uses expressions, so it must contain'),
  part('S3DeliveryStream', 'PartitionKeysNeedDynamicPartitioning', E, 'A prefix with partition-key expressions without dynamic partitioning.', 'The keys never resolve and Firehose refuses the prefix.', 'Set dynamicPartitioning, or remove the expressions.', 'which needs dynamicPartitioning'),
  part('S3DeliveryStream', 'JqKeysUnused', E, 'A JQ partition key that the prefix does not use.', 'Firehose requires every key to appear in the prefix.', 'Use each key as !{partitionKeyFromQuery:key}.', 'which dataOutputPrefix does not use'),
  part('RedshiftDeliveryStream', 'RedshiftNotPubliclyAccessible', W, 'A Redshift target that is not publicly accessible.', 'Firehose connects over the public endpoint, so it cannot load the cluster.', 'Make it publicly accessible with a narrow inbound rule, or deliver to S3 and COPY from the VPC.', 'cannot be loaded'),
  part('RedshiftDeliveryStream', 'RedshiftSecurityGroupNotOpened', W, 'Redshift security groups that the construct could not open for Firehose.', 'Firehose cannot reach the cluster.', 'Add an inbound rule for the port from Firehose\'s CIDR block.', 'so they were not opened'),
  part('OpenSearchDeliveryStream', 'OpenSearchSecurityGroupNotOpened', W, 'OpenSearch security groups that the construct could not open for Firehose.', 'VPC delivery cannot reach the domain.', 'Allow inbound HTTPS (443) from the delivery stream\'s security groups.', 'allow inbound HTTPS (443)'),
  part('OpenSearchDeliveryStream', 'VpcDeliveryMismatch', E, 'A VPC domain without VPC delivery, or VPC delivery to a public domain.', 'Firehose cannot reach the domain.', 'Match vpc to the domain\'s access.', 'Firehose reaches it only through VPC delivery'),
  part('Firehose transform', 'TransformEnvironmentSize', E, 'A bundled transform configuration above the 4 KiB of a function\'s environment.', 'Lambda refuses the function.', 'Use fewer or shorter field rules.', 'but a function\'s environment holds at most'),
  part('FlinkApplication', 'FlinkJarMissing', W, 'A PyFlink project whose declared dependency jar is not in its folder at synth.', 'The package is zipped without it, so the job cannot load its connectors at run time.', 'Build the jar (the job folder\'s README) and synthesize again before deploying.', 'the job will not find its connectors at run time'),
  part('FlinkApplication', 'FlinkCheckpointingOff', W, 'Checkpointing turned off outside production mode.', 'A restart loses the job\'s state; in production mode it is refused.', 'Turn checkpointing on.', 'checkpointing is off: a restart loses'),
  part('FlinkApplication', 'FlinkVpcNoKinesisRoute', W, 'An application in a VPC with neither a Kinesis interface endpoint nor a NAT gateway.', 'The job cannot reach its streams.', 'Add an interface endpoint for Kinesis Data Streams, or NAT gateways.', 'nor a NAT gateway'),
  part('FlinkApplication', 'FlinkVpcRouteUnknown', W, 'An application in an imported VPC, whose route to Kinesis the construct cannot see.', 'Without an endpoint or NAT the job cannot reach its streams.', 'Make sure its subnets reach Kinesis (interface endpoint or NAT).', 'make sure its subnets reach Kinesis'),
  part('LogIngestionPipeline', 'DirectPutQuota', W, 'A declared peak above the direct PUT quota of one delivery stream in the Region.', 'Producers are throttled at the quota.', 'Request a quota increase, or set throughStream: true so a planned stream absorbs the peak.', 'delivery stream\'s default quota'),
  part('TelemetryPipeline', 'TableWarmThroughput', W, 'A declared peak that needs more write units than a new on-demand table serves at once.', 'The table throttles until it adapts to the peak.', 'Set the table\'s warm throughput, or bring a pre-warmed table.', 'a new on-demand table serves at once'),
];

