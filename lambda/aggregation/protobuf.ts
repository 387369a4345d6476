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

/** Iterates the fields of one message, checking every length against the bytes actually present. */
export class ProtobufReader {
  private offset = 0;

  constructor(private readonly buffer: Uint8Array, private readonly baseOffset = 0) {}

  public get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  /** Reads the next field; fixed32/fixed64 fields are skipped over and returned with empty bytes. */
  public next(): ProtobufField {
    const tag = this.varint();
    const fieldNumber = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (fieldNumber === 0) throw this.error('field number 0 is not valid');
    switch (wireType) {
      case WireType.VARINT:
        return { fieldNumber, wireType, value: this.varint(), bytes: EMPTY };
      case WireType.LENGTH_DELIMITED: {
        const length = this.varint();
        return { fieldNumber, wireType, value: length, bytes: this.take(length) };
      }
      case WireType.FIXED64:
        return { fieldNumber, wireType, value: 0, bytes: this.take(8) };
      case WireType.FIXED32:
        return { fieldNumber, wireType, value: 0, bytes: this.take(4) };
      default:
        throw this.error(`unsupported wire type ${wireType} for field ${fieldNumber}`);
    }
  }

  /** Offset of a nested message's payload, for error messages that point into the whole record. */
  public absoluteOffset(field: ProtobufField): number {
    return this.baseOffset + this.offset - field.bytes.length;
  }

  private varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.offset >= this.buffer.length) throw this.error('truncated varint');
      const byte = this.buffer[this.offset++];
      // Arithmetic, not bitwise operators: those truncate to 32 bits and a uint64 varint may be larger.
      if (byte < 0x80) return result + byte * multiplier;
      result += (byte - 0x80) * multiplier;
      multiplier *= 0x80;
    }
    throw this.error(`varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  private take(length: number): Uint8Array {
    if (length > this.buffer.length - this.offset) {
      throw this.error(`length ${length} runs past the end of the message (${this.buffer.length - this.offset} bytes left)`);
    }
    const view = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return view;
  }

  private error(message: string): ProtobufDecodeError {
    return new ProtobufDecodeError(message, this.baseOffset + this.offset);
  }
}
