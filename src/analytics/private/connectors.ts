import { IResource, Stack, Token } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import { Construct, IConstruct } from 'constructs';
import { registerReader } from '../../consumers/private/stream-readers';
import { StreamReadMode } from '../../consumers/stream-read-mode';
import { FLINK_CONNECTOR_KEYS as K, FLINK_CONNECTOR_NAME_PATTERN, FLINK_CONNECTORS, FLINK_INITIAL_POSITIONS } from '../../contracts/flink-properties';
import { KinesisLimits } from '../../validation/limits';
import { fail } from '../../validation/rules';
import { FlinkConnectorOptions, FlinkReadMode, FlinkSourceOptions, FlinkStartingPosition } from '../flink-connector-options';
import { kebab } from './property-groups';

/** The connector's name, given or derived from the resource's construct id, checked. */
export function connectorName(scope: Construct, what: string, named: IConstruct, options: FlinkConnectorOptions): string {
  const name = options.name ?? kebab(named.node.id);
  if (!FLINK_CONNECTOR_NAME_PATTERN.test(name)) {
    fail(scope, `${what} name must be lower-case letters, digits and hyphens (the job reads the group ${what}.<name>), got '${name}'`);
  }
  return name;
}

/** The resource's Region; another Region than the application's is refused unless the options allow it. */
export function regionOf(scope: Construct, what: string, resource: IResource, options: FlinkConnectorOptions): string {
  const here = Stack.of(scope).region;
  const there = resource.env.region;
  if (!options.allowCrossRegion && !Token.isUnresolved(here) && !Token.isUnresolved(there) && here !== there) {
    fail(scope, `${what} ${resource.node.path} is in ${there} but the application runs in ${here}: cross-Region reads and writes add latency and transfer cost; ` +
      'set allowCrossRegion: true to mean it, or run the application in the resource\'s Region');
  }
  return there;
}

export interface KinesisSource {
  readonly properties: Record<string, string>;
  readonly consumer?: kinesis.IStreamConsumer;
  readonly retentionHours: number;
}

/**
 * Registers the source as a reader of the stream (an enhanced fan-out consumer on it, counted by a `DataStream`,
 * or a shared-throughput reader) and renders its property group.
 */
export function kinesisSource(scope: Construct, name: string, stream: kinesis.IStream, options: FlinkSourceOptions): KinesisSource {
  const mode = options.readMode ?? FlinkReadMode.POLLING;
  const position = options.startingPosition ?? FlinkStartingPosition.LATEST;
  const region = regionOf(scope, 'source', stream, options);
  // One reader node per source, so two sources on streams that are not DataStreams get distinct consumers.
  const reader = new Construct(scope, `Source-${name}`);
  const readMode = mode.isEnhancedFanOut ? StreamReadMode.enhancedFanOut(mode.consumerName) : StreamReadMode.SHARED_THROUGHPUT;
  const registered = registerReader(reader, stream, readMode);
  const properties: Record<string, string> = {
    [K.CONNECTOR]: FLINK_CONNECTORS.KINESIS,
    [K.STREAM_NAME]: stream.streamName,
    [K.STREAM_ARN]: stream.streamArn,
    [K.AWS_REGION]: region,
    [K.READ_MODE]: mode.value,
    [K.INITIAL_POSITION]: position.value,
  };
  if (registered.streamConsumer) {
    properties[K.EFO_CONSUMER_NAME] = registered.streamConsumer.streamConsumerName;
    properties[K.EFO_CONSUMER_ARN] = registered.streamConsumer.streamConsumerArn;
  }
  if (position.value === FLINK_INITIAL_POSITIONS.AT_TIMESTAMP) {
    const t = position.timestamp!;
    if (Number.isNaN(t.getTime())) fail(scope, `source ${name}: startingPosition.atTimestamp needs a valid date`);
    properties[K.INITIAL_TIMESTAMP] = t.toISOString();
  }
  return { properties, consumer: registered.streamConsumer, retentionHours: registered.retentionHours ?? KinesisLimits.MIN_RETENTION_HOURS };
}

/** A delivery stream that reads a Kinesis data stream takes no direct writes: refuse it as a sink. */
export function checkDirectPut(scope: Construct, deliveryStream: firehose.IDeliveryStream): void {
  const cfn = deliveryStream.node.defaultChild;
  if (cfn instanceof firehose.CfnDeliveryStream && cfn.deliveryStreamType === 'KinesisStreamAsSource') {
    fail(scope, `the delivery stream ${deliveryStream.node.path} reads a Kinesis data stream, so Firehose refuses PutRecordBatch to it: ` +
      'write to its source stream with addKinesisSink instead');
  }
}
