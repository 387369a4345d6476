/** The producer's units of work: a buffered user record, and a PutRecords entry (one Kinesis record) built from some. */
import { UserRecord } from '../aggregation';
import type { PutResult } from './result';
import { ClassifiedFailure } from './retry-policy';

/** A user record from submission until its result is settled. */
export interface PendingRecord {
  readonly record: UserRecord;
  readonly index: number;
  /** The record's effective hash key: its explicit hash key, or the MD5 of its partition key. */
  readonly hashKey: bigint;
  /** Data plus partition key bytes. */
  readonly sizeBytes: number;
  readonly enqueuedAt: number;
  readonly settle: (result: PutResult) => void;
}

/** One entry of a PutRecords request; it is retried as a unit, so the records inside keep their order. */
export interface Entry {
  readonly records: readonly PendingRecord[];
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
  readonly sizeBytes: number;
  /** True when `data` is a KPL aggregate. */
  readonly aggregated: boolean;
  /** The shard the entry is predicted to land on; undefined when the shard map could not place it. */
  shardId: string | undefined;
  /** The shard map version `shardId` was predicted with. */
  mapVersion: number;
  attempts: number;
  /** Attempts that ended in a request timeout: each doubles the deadline of the entry's next call. */
  timeouts: number;
  firstAttemptAt: number;
  /** Not to be sent before this time (backoff). */
  notBefore: number;
  /** An earlier attempt ended ambiguously, so the record may already be in the stream. */
  possibleDuplicate: boolean;
  lastFailure?: ClassifiedFailure;
  /** The producer gave up on it while it was in flight; its response only releases its keys. */
  abandoned?: boolean;
}

/** The partition keys of an entry's records, each once. */
export function entryKeys(entry: Entry): Set<string> {
  return new Set(entry.records.map((r) => r.record.partitionKey));
}
