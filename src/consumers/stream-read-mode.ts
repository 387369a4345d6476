import { KinesisLimits } from '../validation/limits';
import { checkName } from '../validation/rules';

/**
 * How a consumer reads the stream: sharing each shard's 2 MiB/s and 5 reads/s with the other classic consumers, or
 * through enhanced fan-out with its own 2 MiB/s per shard, pushed over HTTP/2.
 */
export class StreamReadMode {
  /** GetRecords polling, shared with the stream's other shared-throughput consumers. No extra cost. */
  public static readonly SHARED_THROUGHPUT = new StreamReadMode(false);

  /**
   * A registered stream consumer (enhanced fan-out): dedicated throughput and lower latency, billed per consumer-shard
   * hour and per GB. A stream has at most 20.
   *
   * @param consumerName name of the stream consumer @default - derived from the construct path
   */
  public static enhancedFanOut(consumerName?: string): StreamReadMode {
    checkName('StreamReadMode.enhancedFanOut', 'consumerName', consumerName, KinesisLimits.MAX_CONSUMER_NAME_LENGTH, /^[a-zA-Z0-9_.-]+$/,
      'letters, digits, underscores, periods and hyphens');
    return new StreamReadMode(true, consumerName);
  }

  /** Whether the consumer reads through enhanced fan-out. */
  public readonly isEnhancedFanOut: boolean;
  /** The stream consumer's name, when chosen. */
  public readonly consumerName?: string;

  private constructor(enhancedFanOut: boolean, consumerName?: string) {
    this.isEnhancedFanOut = enhancedFanOut;
    this.consumerName = consumerName;
  }
}
