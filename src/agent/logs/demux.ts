/**
 * Docker's multiplexed log and exec streams: each frame is an 8-byte header (stream: 1 stdout,
 * 2 stderr; three zero bytes; payload length, big-endian) and the payload. The demuxer passes
 * the payloads on in order, stdout and stderr interleaved as they were written.
 */
import { Transform, TransformCallback } from 'node:stream';

export class DockerDemux extends Transform {
  private pending: Buffer = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      this.push(this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    // A truncated last frame still carries text worth showing.
    if (this.pending.length > 8) this.push(this.pending.subarray(8));
    done();
  }
}

/** The payloads of a complete multiplexed buffer (a non-follow log answer). */
export function demuxBuffer(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, Math.min(buffer.length, offset + 8 + size)));
    offset += 8 + size;
  }
  return Buffer.concat(parts);
}
