import type { FirehoseTransformationResult, FirehoseTransformationResultRecord } from 'aws-lambda';
import { EntryMetadata } from './entry-metadata';
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
    let data: string;
    let metadata: EntryMetadata | undefined;
    if (outcome instanceof EncodedOkOutcome) {
      data = outcome.base64;
      metadata = outcome.metadata;
    } else {
      data = outcome.data.toString('base64');
      if (outcome.partitionKeys !== undefined || outcome.otfMetadata !== undefined) metadata = new EntryMetadata(outcome.partitionKeys, outcome.otfMetadata);
    }
    // base64 is ASCII: its length is its size.
    const extra = OK_BYTES + data.length - STUB_BYTES.ProcessingFailed + (metadata === undefined ? 0 : metadata.bytes);
    if (extra > this.remaining) {
      this.overflow(index);
      return false;
    }
    this.remaining -= extra;
    // @types/aws-lambda knows only partitionKeys; Firehose also reads otfMetadata for Iceberg routing.
    this.entries[index] = metadata
      ? { recordId, result: 'Ok', data, metadata: metadata.json as { partitionKeys: Record<string, string> } }
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
