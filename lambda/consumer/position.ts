/**
 * Where a user record sits in its shard: the sequence number of the Kinesis record that carried it, plus its
 * sub-sequence number inside that record (0 for a record that was not KPL-aggregated).
 */
export interface RecordPosition {
  /** Sequence number of the enclosing Kinesis record: a decimal string, larger for later records of a shard. */
  readonly sequenceNumber: string;
  /** Index of the user record inside its aggregated Kinesis record; 0 when the record was not aggregated. */
  readonly subSequenceNumber: number;
}

/**
 * Compares two Kinesis sequence numbers. They are unsigned decimal integers without leading zeros and may exceed
 * 2^53, so a longer string is the larger number and strings of equal length compare character by character; this
 * avoids a BigInt per comparison on the hot path.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders positions by sequence number, then sub-sequence number. */
export function comparePositions(a: RecordPosition, b: RecordPosition): number {
  return compareSequenceNumbers(a.sequenceNumber, b.sequenceNumber) || a.subSequenceNumber - b.subSequenceNumber;
}

const LENGTH_DIGITS = 3;
const SUB_SEQUENCE_DIGITS = 10;

/**
 * A string whose lexicographic order is the order of positions, so that a DynamoDB condition expression
 * (`#position < :position`) can compare positions: the length of the sequence number, zero-padded, then the sequence
 * number, then the zero-padded sub-sequence number.
 */
export function positionKey(position: RecordPosition): string {
  return `${String(position.sequenceNumber.length).padStart(LENGTH_DIGITS, '0')}${position.sequenceNumber}.`
    + String(position.subSequenceNumber).padStart(SUB_SEQUENCE_DIGITS, '0');
}

/** The inverse of `positionKey`. */
export function parsePositionKey(key: string): RecordPosition {
  const length = Number(key.slice(0, LENGTH_DIGITS));
  const sequenceNumber = key.slice(LENGTH_DIGITS, LENGTH_DIGITS + length);
  const subSequenceNumber = Number(key.slice(LENGTH_DIGITS + length + 1));
  if (!/^\d+$/.test(sequenceNumber) || !Number.isInteger(subSequenceNumber) || key[LENGTH_DIGITS + length] !== '.') {
    throw new Error(`'${key}' is not a record position key`);
  }
  return { sequenceNumber, subSequenceNumber };
}
