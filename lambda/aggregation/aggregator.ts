/**
 * Packs user records into aggregates one at a time, knowing the exact encoded size after every record, so a
 * producer can fill a Kinesis record up to its limit without encoding twice.
 */
import { lengthDelimitedFieldSize } from './protobuf';
import { encodeTables, FRAMING_BYTES, IndexedRecord, recordMessageSize, UserRecord } from './record-format';
import { KinesisLimits } from '../../src/validation/limits';

export interface RecordAggregatorOptions {
  /**
   * Largest Kinesis record to produce, counted as Kinesis counts it: data blob plus the enclosing partition key.
   * @default KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES (1 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Most user records in one aggregate.
   * @default - no limit but `maxBytes`
   */
  readonly maxRecords?: number;
}

/** What {@link RecordAggregator.drain} returns: a Kinesis record ready for PutRecords. */
export interface EncodedRecord {
  /** The first user record's partition key, as the KPL does; it is the one Kinesis counts against the size limit. */
  readonly partitionKey: string;
  /** The first user record's explicit hash key, if it had one. Producers that know the shard map override it. */
  readonly explicitHashKey?: string;
  /** The Kinesis record's data blob. */
  readonly data: Uint8Array;
  /** The user records inside, in order. */
  readonly records: readonly UserRecord[];
  /** Data plus partition key, in bytes: what Kinesis counts against the record size and the shard's byte rate. */
  readonly sizeBytes: number;
  /**
   * False when the record holds a single user record sent as is (as the KPL does): no framing overhead, and
   * consumers that do not de-aggregate still read it.
   */
  readonly aggregated: boolean;
}

const utf8 = new TextEncoder();

export class RecordAggregator {
  public readonly maxBytes: number;
  public readonly maxRecords: number;
  private partitionKeys: Uint8Array[] = [];
  private explicitHashKeys: Uint8Array[] = [];
  private partitionKeyIndex = new Map<string, number>();
  private explicitHashKeyIndex = new Map<string, number>();
  private indexed: IndexedRecord[] = [];
  private records: UserRecord[] = [];
  private protobufBytes = 0;
  private enclosingKeyBytes = 0;

  constructor(options: RecordAggregatorOptions = {}) {
    this.maxBytes = options.maxBytes ?? KinesisLimits.DEFAULT_MAX_RECORD_SIZE_BYTES;
    this.maxRecords = options.maxRecords ?? Number.MAX_SAFE_INTEGER;
    if (!(this.maxBytes > 0) || !(this.maxRecords > 0)) {
      throw new RangeError(`RecordAggregator needs positive maxBytes and maxRecords, got ${this.maxBytes} and ${this.maxRecords}`);
    }
  }

  /** User records added since the last drain. */
  public get count(): number {
    return this.records.length;
  }

  /** Size of the Kinesis record a drain would produce now, in bytes. */
  public get sizeBytes(): number {
    switch (this.records.length) {
      case 0: return 0;
      case 1: return this.records[0].data.length + this.enclosingKeyBytes;
      default: return FRAMING_BYTES + this.protobufBytes + this.enclosingKeyBytes;
    }
  }

  /** Size the aggregate would have with `record` added, without adding it. */
  public sizeWith(record: UserRecord): number {
    return this.measure(record).total;
  }

  /**
   * Adds a record if the aggregate still fits within `maxBytes` and `maxRecords` with it.
   *
   * @returns false, and leaves the aggregate unchanged, when it does not fit. On an empty aggregator that means the
   * record alone exceeds the limit.
   */
  public add(record: UserRecord): boolean {
    const m = this.measure(record);
    if (m.total > this.maxBytes || this.records.length >= this.maxRecords) return false;
    let p = this.partitionKeyIndex.get(record.partitionKey);
    if (p === undefined) {
      p = this.partitionKeys.length;
      this.partitionKeyIndex.set(record.partitionKey, p);
      this.partitionKeys.push(m.partitionKeyBytes!);
    }
    let e: number | undefined;
    if (record.explicitHashKey !== undefined) {
      e = this.explicitHashKeyIndex.get(record.explicitHashKey);
      if (e === undefined) {
        e = this.explicitHashKeys.length;
        this.explicitHashKeyIndex.set(record.explicitHashKey, e);
        this.explicitHashKeys.push(m.explicitHashKeyBytes!);
      }
    }
    if (this.records.length === 0) this.enclosingKeyBytes = Buffer.byteLength(record.partitionKey, 'utf8');
    this.indexed.push({ partitionKeyIndex: p, explicitHashKeyIndex: e, data: record.data });
    this.records.push(record);
    this.protobufBytes = m.protobufBytes;
    return true;
  }

  /** Encodes what was added and empties the aggregator; undefined when it is empty. */
  public drain(): EncodedRecord | undefined {
    if (this.records.length === 0) return undefined;
    const records = this.records;
    const first = records[0];
    let result: EncodedRecord;
    if (records.length === 1) {
      result = {
        partitionKey: first.partitionKey,
        explicitHashKey: first.explicitHashKey,
        data: first.data,
        records,
        sizeBytes: first.data.length + this.enclosingKeyBytes,
        aggregated: false,
      };
    } else {
      const data = encodeTables(this.partitionKeys, this.explicitHashKeys, this.indexed, this.protobufBytes);
      result = {
        partitionKey: first.partitionKey,
        explicitHashKey: first.explicitHashKey,
        data,
        records,
        sizeBytes: data.length + this.enclosingKeyBytes,
        aggregated: true,
      };
    }
    this.reset();
    return result;
  }

  private reset(): void {
    this.partitionKeys = [];
    this.explicitHashKeys = [];
    this.partitionKeyIndex = new Map();
    this.explicitHashKeyIndex = new Map();
    this.indexed = [];
    this.records = [];
    this.protobufBytes = 0;
    this.enclosingKeyBytes = 0;
  }

  private measure(record: UserRecord) {
    let protobufBytes = this.protobufBytes;
    const p = this.partitionKeyIndex.get(record.partitionKey);
    let partitionKeyBytes: Uint8Array | undefined;
    if (p === undefined) {
      partitionKeyBytes = utf8.encode(record.partitionKey);
      protobufBytes += lengthDelimitedFieldSize(partitionKeyBytes.length);
    }
    let e: number | undefined;
    let explicitHashKeyBytes: Uint8Array | undefined;
    if (record.explicitHashKey !== undefined) {
      e = this.explicitHashKeyIndex.get(record.explicitHashKey);
      if (e === undefined) {
        explicitHashKeyBytes = utf8.encode(record.explicitHashKey);
        protobufBytes += lengthDelimitedFieldSize(explicitHashKeyBytes.length);
        e = this.explicitHashKeys.length;
      }
    }
    protobufBytes += lengthDelimitedFieldSize(recordMessageSize({
      partitionKeyIndex: p ?? this.partitionKeys.length,
      explicitHashKeyIndex: e,
      data: record.data,
    }));
    // A lone record is sent as is (see drain), so only its plain size must fit.
    const total = this.records.length === 0
      ? record.data.length + partitionKeyBytes!.length
      : FRAMING_BYTES + protobufBytes + this.enclosingKeyBytes;
    return { total, protobufBytes, partitionKeyBytes, explicitHashKeyBytes };
  }
}
