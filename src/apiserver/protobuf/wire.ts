/**
 * The protobuf wire format, read-only: varints, fixed 32/64-bit words and length-delimited runs.
 * A reader covers a window of one buffer, so every offset it reports is an offset into the whole
 * request body, which is what an error message should point at.
 */
import { BadRequest } from '../../api/errors';

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

export const wireTypeNames: Record<number, string> = {
  0: 'varint',
  1: 'fixed64',
  2: 'length-delimited',
  3: 'start-group',
  4: 'end-group',
  5: 'fixed32',
};

/** A malformed body: says what is wrong, at which byte, and inside which field. */
export function malformed(what: string, offset: number, path: string): BadRequest {
  return new BadRequest(`malformed protobuf body: ${what} at offset ${offset}${path ? ` (in ${path})` : ''}`);
}

export interface Tag {
  number: number;
  wireType: number;
  /** Where the tag starts. */
  offset: number;
}

export class WireReader {
  private position: number;

  constructor(
    private readonly buffer: Buffer,
    start: number,
    /** One past the last byte of the window. */
    readonly end: number,
    /** The field path this window belongs to, for error messages. */
    readonly path: string,
  ) {
    this.position = start;
  }

  static of(buffer: Buffer, path: string, start = 0): WireReader {
    return new WireReader(buffer, start, buffer.length, path);
  }

  get offset(): number {
    return this.position;
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  fail(what: string, offset = this.position): never {
    throw malformed(what, offset, this.path);
  }

  /** An unsigned varint of up to 64 bits. */
  varint(): bigint {
    const start = this.position;
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.position >= this.end) this.fail('truncated varint', start);
      const byte = this.buffer[this.position++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    return this.fail('varint longer than 10 bytes', start);
  }

  /**
   * A varint used as a count (a length or a tag), read with plain numbers because there is one
   * per field: at most 31 bits.
   */
  private smallVarint(what: string): number {
    const start = this.position;
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.position >= this.end) this.fail('truncated varint', start);
      const byte = this.buffer[this.position++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0x7fffffff) this.fail(`${what} ${result} is too large`, start);
        return result;
      }
    }
    this.position = start;
    return this.fail(`${what} ${this.varint()} is too large`, start);
  }

  tag(): Tag {
    const offset = this.position;
    const key = this.smallVarint('field tag');
    const number = key >>> 3;
    if (number === 0) this.fail('field number 0', offset);
    return { number, wireType: key & 7, offset };
  }

  fixed32(): Buffer {
    return this.take(4, 'fixed32');
  }

  fixed64(): Buffer {
    return this.take(8, 'fixed64');
  }

  /** The bytes of a length-delimited field. */
  bytes(): Buffer {
    const start = this.position;
    const length = this.smallVarint('length');
    if (this.position + length > this.end) {
      this.fail(`length-delimited field of ${length} bytes runs past the end of its message`, start);
    }
    return this.take(length, 'length-delimited field');
  }

  /** A reader over the next length-delimited field, for a nested message, a map entry or a packed list. */
  window(path: string): WireReader {
    const start = this.position;
    const length = this.smallVarint('length');
    if (this.position + length > this.end) {
      this.fail(`length-delimited field of ${length} bytes runs past the end of its message`, start);
    }
    const inner = new WireReader(this.buffer, this.position, this.position + length, path);
    this.position += length;
    return inner;
  }

  /** Skips a field this decoder has no table entry for, as protobuf requires. */
  skip(wireType: number, tagOffset: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.fixed64();
        return;
      case WireType.LengthDelimited:
        this.bytes();
        return;
      case WireType.Fixed32:
        this.fixed32();
        return;
      default:
        this.fail(`unsupported wire type ${wireType}${wireTypeNames[wireType] ? ` (${wireTypeNames[wireType]})` : ''}`, tagOffset);
    }
  }

  private take(length: number, what: string): Buffer {
    if (this.position + length > this.end) this.fail(`truncated ${what}`);
    const slice = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }
}
