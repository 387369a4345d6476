/**
 * The sliver of protocol buffers the KPL aggregated record format needs: varints, length-delimited fields and
 * skipping of fields this reader does not know. Hand-written so the runtime carries no protobuf dependency.
 *
 * @see https://protobuf.dev/programming-guides/encoding/
 */

/** Wire types of the protobuf encoding. */
export const WireType = {
  VARINT: 0,
  FIXED64: 1,
  LENGTH_DELIMITED: 2,
  FIXED32: 5,
} as const;

/** A uint64 varint is at most ten bytes long (ceil(64 / 7)). */
const MAX_VARINT_BYTES = 10;

/** Raised by {@link ProtobufReader} on input that is not a valid protobuf encoding. */
export class ProtobufDecodeError extends Error {
  constructor(message: string, public readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'ProtobufDecodeError';
  }
}

/** The first byte of a field: its number and wire type. */
export function fieldTag(fieldNumber: number, wireType: number): number {
  return fieldNumber * 8 + wireType;
}

/** Bytes the varint encoding of a non-negative integer takes. */
export function varintSize(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`varint value must be a non-negative safe integer, got ${value}`);
  }
  let size = 1;
  // Division rather than `>>>`: bitwise operators truncate to 32 bits and the value may be larger.
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) size++;
  return size;
}

/** Bytes a length-delimited field with a `length`-byte payload takes, including its one-byte tag. */
export function lengthDelimitedFieldSize(length: number): number {
  return 1 + varintSize(length) + length;
}

/** Bytes a varint field takes, including its one-byte tag. */
export function varintFieldSize(value: number): number {
  return 1 + varintSize(value);
}

/** Writes into a buffer whose exact size the caller computed beforehand, so encoding never reallocates. */
export class ProtobufWriter {
  private offset = 0;

  constructor(private readonly buffer: Uint8Array) {}

  public get position(): number {
    return this.offset;
  }

  public varint(value: number): this {
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.offset++] = (v % 0x80) + 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.offset++] = v;
    return this;
  }

  public bytes(data: Uint8Array): this {
    this.buffer.set(data, this.offset);
    this.offset += data.length;
    return this;
  }

  public lengthDelimited(fieldNumber: number, data: Uint8Array): this {
    return this.varint(fieldTag(fieldNumber, WireType.LENGTH_DELIMITED)).varint(data.length).bytes(data);
  }

  public varintField(fieldNumber: number, value: number): this {
    return this.varint(fieldTag(fieldNumber, WireType.VARINT)).varint(value);
  }
}

/** One field as read from the wire: its number, wire type, and either a varint value or a byte range. */
export interface ProtobufField {
  readonly fieldNumber: number;
  readonly wireType: number;
  /** The value of a varint field. */
  readonly value: number;
  /** The payload of a length-delimited field (a view, not a copy). */
  readonly bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * Iterates the fields of one message, checking every length against the bytes actually present.
 *
 * Two ways to read: `next()` returns each field as an object with a view of its bytes; the allocation-free
 * `nextTag()` / `readVarint()` / `readLengthDelimited()` / `skip()` leave the payload's range in `start` and `end`, for
 * hot loops that would otherwise allocate a field object and a view per field. Both check the same things and raise
 * the same errors at the same offsets.
 */
export class ProtobufReader {
  /** Start of the last length-delimited payload read with `readLengthDelimited()`, as an index into the buffer. */
  public start = 0;
  /** End (exclusive) of that payload. */
  public end = 0;
  private offset: number;
  private limit: number;

  /**
   * @param baseOffset added to offsets in error messages, for a nested message read out of a larger record.
   * @param from where to start reading in `buffer` (offsets in errors count from there). @default 0
   * @param to where the message ends in `buffer`. @default its length
   */
  constructor(private buffer: Uint8Array, private baseOffset = 0, private from = 0, to = buffer.length) {
    this.offset = from;
    this.limit = to;
  }

  public get done(): boolean {
    return this.offset >= this.limit;
  }

  /**
   * Reads `buffer[from, to)` of another buffer next, so that a long-lived reader can serve many messages. Load an
   * empty buffer when done, to let the last one go.
   */
  public load(buffer: Uint8Array, from: number, to: number, baseOffset: number): void {
    this.buffer = buffer;
    this.reset(from, to, baseOffset);
  }

  /** Reads `buffer[from, to)` next, as a new message: a nested message without a reader or a view of its own. */
  public reset(from: number, to: number, baseOffset: number): void {
    this.from = from;
    this.offset = from;
    this.limit = to;
    this.baseOffset = baseOffset;
  }

  /** Reads the next field; fixed32/fixed64 fields are skipped over and returned with empty bytes. */
  public next(): ProtobufField {
    const tag = this.nextTag();
    const fieldNumber = Math.floor(tag / 8);
    const wireType = tag % 8;
    switch (wireType) {
      case WireType.VARINT:
        return { fieldNumber, wireType, value: this.varint(), bytes: EMPTY };
      case WireType.LENGTH_DELIMITED: {
        const length = this.readLengthDelimited();
        return { fieldNumber, wireType, value: length, bytes: this.buffer.subarray(this.start, this.end) };
      }
      default:
        this.skip(wireType);
        return { fieldNumber, wireType, value: 0, bytes: this.buffer.subarray(this.start, this.end) };
    }
  }

  /** Reads the next field's tag (field number × 8 + wire type), refusing field number 0 and unknown wire types. */
  public nextTag(): number {
    const tag = this.varint();
    const fieldNumber = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (fieldNumber === 0) throw this.error('field number 0 is not valid');
    if (wireType !== WireType.VARINT && wireType !== WireType.LENGTH_DELIMITED && wireType !== WireType.FIXED64 && wireType !== WireType.FIXED32) {
      throw this.error(`unsupported wire type ${wireType} for field ${fieldNumber}`);
    }
    return tag;
  }

  /** Reads a varint field's value. */
  public readVarint(): number {
    return this.varint();
  }

  /** Reads a length-delimited field's length and steps over its payload, whose range is left in `start` and `end`. */
  public readLengthDelimited(): number {
    const length = this.varint();
    this.take(length);
    return length;
  }

  /** Steps over the value of a field of `wireType` (for fixed32/fixed64, its range is left in `start` and `end`). */
  public skip(wireType: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.varint();
        break;
      case WireType.LENGTH_DELIMITED:
        this.readLengthDelimited();
        break;
      case WireType.FIXED64:
        this.take(8);
        break;
      default:
        this.take(4);
        break;
    }
  }

  /** Offset of a nested message's payload, for error messages that point into the whole record. */
  public absoluteOffset(field: ProtobufField): number {
    return this.baseOffset + this.offset - this.from - field.bytes.length;
  }

  private varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.offset >= this.limit) throw this.error('truncated varint');
      const byte = this.buffer[this.offset++];
      // Arithmetic, not bitwise operators: those truncate to 32 bits and a uint64 varint may be larger.
      if (byte < 0x80) return result + byte * multiplier;
      result += (byte - 0x80) * multiplier;
      multiplier *= 0x80;
    }
    throw this.error(`varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  private take(length: number): void {
    if (length > this.limit - this.offset) {
      throw this.error(`length ${length} runs past the end of the message (${this.limit - this.offset} bytes left)`);
    }
    this.start = this.offset;
    this.offset += length;
    this.end = this.offset;
  }

  private error(message: string): ProtobufDecodeError {
    return new ProtobufDecodeError(message, this.baseOffset + this.offset - this.from);
  }
}
