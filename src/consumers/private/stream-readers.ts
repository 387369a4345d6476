import { Names, Stack, Token } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct, IConstruct } from 'constructs';
import { DataStream } from '../../streams/data-stream';
import { KinesisLimits, LambdaLimits } from '../../validation/limits';
import { fail, warn } from '../../validation/rules';
import { StreamReadMode } from '../stream-read-mode';

/** How a consumer reaches the stream once registered. */
export interface StreamReader {
  /** The ARN the event source mapping reads: the stream, or the enhanced fan-out consumer. */
  readonly eventSourceArn: string;
  /** The enhanced fan-out consumer, when there is one. */
  readonly streamConsumer?: kinesis.IStreamConsumer;
  /** The retention of the stream in hours, when the library knows it. */
  readonly retentionHours?: number;
}

/**
 * Shared-throughput readers of streams that are not `DataStream`s, counted by stream object (not by construct id, so
 * two apps or two stacks never mix their counts). A `DataStream` keeps its own count.
 */
const sharedReaders = new WeakMap<kinesis.IStream, IConstruct[]>();

/** Readers a shard can feed at full write rate: 2 MiB/s of reads over 1 MiB/s of writes. */
const READERS_AT_FULL_WRITE_RATE = KinesisLimits.SHARD_READ_BYTES_PER_SECOND / KinesisLimits.SHARD_WRITE_BYTES_PER_SECOND;
/** Readers a shard can poll for: 5 GetRecords/s over Lambda's one poll per second per mapping. */
const READERS_BY_CALL_RATE = KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND / LambdaLimits.SHARED_THROUGHPUT_POLLS_PER_SECOND_PER_SHARD;

/**
 * Registers `consumer` as a reader of `stream`: with enhanced fan-out, a stream consumer (through the `DataStream`
 * when it is one, so its limit of 20 and its cost model count it); with shared throughput, it is counted against the
 * per-shard read capacity and a warning names the oversubscription.
 */
export function registerReader(consumer: Construct, stream: kinesis.IStream, mode: StreamReadMode): StreamReader {
  const dataStream = DataStream.isDataStream(stream) ? stream : undefined;
  const retentionHours = dataStream?.retentionHours;
  if (mode.isEnhancedFanOut) {
    if (!dataStream) checkUniqueConsumerName(consumer, stream, mode.consumerName);
    const streamConsumer = dataStream
      ? dataStream.addEnhancedFanOutConsumer(`Consumer${Names.uniqueId(consumer)}`, { consumerName: mode.consumerName })
      : new kinesis.StreamConsumer(consumer, 'StreamConsumer', {
        stream,
        streamConsumerName: mode.consumerName ?? Names.uniqueResourceName(consumer, { maxLength: KinesisLimits.MAX_CONSUMER_NAME_LENGTH }),
      });
    return { eventSourceArn: streamConsumer.streamConsumerArn, streamConsumer, retentionHours };
  }
  if (dataStream) {
    dataStream.registerSharedThroughputConsumer(consumer);
  } else {
    const readers = sharedReaders.get(stream) ?? [];
    if (!readers.includes(consumer)) readers.push(consumer);
    sharedReaders.set(stream, readers);
    const n = readers.length;
    if (n > READERS_BY_CALL_RATE) {
      warn(consumer, 'SharedReadsOversubscribed', `${n} shared-throughput consumers read ${stream.node.path}; each polls every shard once a second and a shard ` +
        `serves ${KinesisLimits.SHARD_GET_RECORDS_CALLS_PER_SECOND} GetRecords calls/s to all of them: they will be throttled. Use StreamReadMode.enhancedFanOut() for some`);
    } else if (n > READERS_AT_FULL_WRITE_RATE) {
      warn(consumer, 'SharedBytesOversubscribed', `${n} shared-throughput consumers read ${stream.node.path}; a shard serves 2 MiB/s to all of them together, ` +
        `so at the full write rate of 1 MiB/s per shard at most ${READERS_AT_FULL_WRITE_RATE} keep up. Use StreamReadMode.enhancedFanOut() for some`);
    }
  }
  return { eventSourceArn: stream.streamArn, retentionHours };
}

/** Consumer names are unique within a stream: a second registration with one name fails at deploy time. */
function checkUniqueConsumerName(consumer: Construct, stream: kinesis.IStream, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const twin = Stack.of(consumer).node.findAll().find((c) => c instanceof kinesis.CfnStreamConsumer && c.consumerName === name
    && c.streamArn === stream.streamArn);
  if (twin) {
    fail(consumer, `consumerName '${name}' is already taken on ${stream.node.path} by ${twin.node.scope?.node.path ?? twin.node.path}: `
      + 'consumer names are unique within a stream, so give each its own');
  }
}
