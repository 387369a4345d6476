import type { FirehoseTransformationResult, FirehoseTransformationResultRecord } from 'aws-lambda';
import { EncodedOkOutcome, type RecordOutcome } from './outcome';

/**
 * Builds the transformation response within a byte budget (the 6 MB synchronous Lambda response limit).
 *
 * Firehose requires every record id it sent to come back: a response missing one fails the whole invocation
 * (`Lambda.MissingRecordId`), Firehose retries it, and after the retries sends the entire batch to the error prefix.
 * Omitting records is therefore never an option. Instead the builder reserves, up front, the bytes of a minimal
 * `ProcessingFailed` entry for every record, and spends only what is left on transformed data. When a transformed
 * record does not fit, it and every record after it are answered with that reserved entry: Firehose writes those
 * records, as it received them, to the error output prefix, from where they can be replayed. The records that did fit
 * are delivered, in order, and the invocation never fails.
 */
export class ResponseBuilder {
  private readonly entries: FirehoseTransformationResultRecord[];
  private remaining: number;
  private overflowFrom = -1;

  /**
   * @param recordIds the ids of the event's records, in order
   * @param limitBytes the largest response the function may return
   */
  constructor(private readonly recordIds: ReadonlyArray<string>, limitBytes: number) {
    const n = recordIds.length;
    this.entries = new Array(n);
    // {"records":[ ... ]}, the commas between entries, a ProcessingFailed stub per record, and the ids as JSON: their
    // array's JSON is the ids' JSON, the commas between them and two brackets, in one native call.
    const idsJsonBytes = n === 0 ? 0 : Buffer.byteLength(JSON.stringify(recordIds), 'utf8') - 2 - (n - 1);
    const reserved = ENVELOPE_BYTES + Math.max(0, n - 1) + n * STUB_BYTES.ProcessingFailed + idsJsonBytes;
    this.remaining = limitBytes - reserved;
  }

  /** Index of the first record answered as overflow, or -1 when everything fitted. */
  public get firstOverflowIndex(): number {
    return this.overflowFrom;
  }

  /** Whether the budget ran out: every later record must be answered with `overflow`. */
  public get exhausted(): boolean {
    return this.overflowFrom >= 0;
  }

  /**
   * Records the outcome of record `index`. Returns false, and answers the record as overflow, when its transformed
   * data does not fit in what is left of the budget.
   */
  public add(index: number, outcome: RecordOutcome): boolean {
    const recordId = this.recordIds[index];
    if (outcome.result !== 'Ok') {
      this.entries[index] = { recordId, result: outcome.result, data: '' };
      // A Dropped entry is shorter than the reserved ProcessingFailed one: the difference goes back to the budget.
      this.remaining += STUB_BYTES.ProcessingFailed - STUB_BYTES[outcome.result];
      return true;
    }
    const data = outcome instanceof EncodedOkOutcome ? outcome.base64 : outcome.data.toString('base64');
    let extra = OK_BYTES + data.length - STUB_BYTES.ProcessingFailed;
    let metadata: { partitionKeys?: Record<string, string>; otfMetadata?: Record<string, string> } | undefined;
    if (outcome.partitionKeys !== undefined || outcome.otfMetadata !== undefined) {
      metadata = {};
      extra += METADATA_BYTES;
      if (outcome.partitionKeys !== undefined) {
        metadata.partitionKeys = outcome.partitionKeys as Record<string, string>;
        extra += PARTITION_KEYS_BYTES + jsonObjectBytes(outcome.partitionKeys);
      }
      if (outcome.otfMetadata !== undefined) {
        metadata.otfMetadata = outcome.otfMetadata as Record<string, string>;
        extra += (outcome.partitionKeys !== undefined ? 1 : 0) + OTF_METADATA_BYTES + jsonObjectBytes(outcome.otfMetadata);
      }
    }
    if (extra > this.remaining) {
      this.overflow(index);
      return false;
    }
    this.remaining -= extra;
    // @types/aws-lambda knows only partitionKeys; Firehose also reads otfMetadata for Iceberg routing.
    this.entries[index] = metadata
      ? { recordId, result: 'Ok', data, metadata: metadata as { partitionKeys: Record<string, string> } }
      : { recordId, result: 'Ok', data };
    return true;
  }

  /** Answers record `index` with its reserved `ProcessingFailed` entry, because the budget is spent. */
  public overflow(index: number): void {
    if (this.overflowFrom < 0) this.overflowFrom = index;
    this.entries[index] = { recordId: this.recordIds[index], result: 'ProcessingFailed', data: '' };
  }

  /** The response, one entry per record of the event, in the event's order. */
  public build(): FirehoseTransformationResult {
    return { records: this.entries };
  }
}

/** `{"records":[` and `]}`. */
const ENVELOPE_BYTES = '{"records":[]}'.length;
/** `{"recordId":` + id + `,"result":"<result>","data":""}`, without the id. */
const STUB_BYTES = {
  ProcessingFailed: '{"recordId":,"result":"ProcessingFailed","data":""}'.length,
  Dropped: '{"recordId":,"result":"Dropped","data":""}'.length,
} as const;
/** `{"recordId":` + id + `,"result":"Ok","data":"` + data + `"}`, without the id and the data. */
const OK_BYTES = '{"recordId":,"result":"Ok","data":""}'.length;
/** `,"metadata":{` + members + `}`, without the members. */
const METADATA_BYTES = ',"metadata":{}'.length;
/** `"partitionKeys":` before the keys. */
const PARTITION_KEYS_BYTES = '"partitionKeys":'.length;
/** `"otfMetadata":` before the routing (after a comma when partition keys come first). */
const OTF_METADATA_BYTES = '"otfMetadata":'.length;

/** Characters JSON.stringify leaves as they are: printable ASCII except the quote and the backslash. */
const PLAIN_JSON = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * Bytes of `JSON.stringify(s)`. Record ids and partition keys are almost always plain ASCII, whose JSON is the text
 * in quotes, so the serialization is only done for the others.
 */
function jsonStringBytes(s: string): number {
  return PLAIN_JSON.test(s) ? s.length + 2 : Buffer.byteLength(JSON.stringify(s), 'utf8');
}

/** Bytes of `JSON.stringify(o)` for an object of strings: `{"k":"v","k2":"v2"}`. */
function jsonObjectBytes(o: Readonly<Record<string, string>>): number {
  let bytes = 2;
  let first = true;
  for (const key in o) {
    bytes += (first ? 0 : 1) + jsonStringBytes(key) + 1 + jsonStringBytes(o[key]);
    first = false;
  }
  return bytes;
}
