import { describe, fail } from '../validation/rules';

/**
 * How the bundled producer picks each event's partition key: the key decides the shard, and records that share a
 * key keep their order.
 */
export class PartitionKey {
  /**
   * The value of a JSON field of each event (a string or a number), e.g. `deviceId` or, for a nested field,
   * `device.id`. Events of one key stay in order; keys with many distinct values spread evenly over the shards.
   * An event without the field is rejected (returned, and sent to the failure queue) rather than written under a
   * made-up key.
   *
   * @param path dot-separated path of the field
   */
  public static fromField(path: string): PartitionKey {
    if (typeof path !== 'string' || path.length === 0) {
      fail('PartitionKey.fromField', `path must be the dot-separated path of a field, e.g. 'deviceId' or 'device.id', got ${describe(path)}`);
    }
    return new PartitionKey(path);
  }

  /**
   * A random key per event: the most even spread over the shards, and no order between events.
   */
  public static random(): PartitionKey {
    return new PartitionKey(undefined);
  }

  /** The dot path of the field, or undefined for random keys. */
  public readonly fieldPath?: string;

  private constructor(fieldPath?: string) {
    this.fieldPath = fieldPath;
  }
}
