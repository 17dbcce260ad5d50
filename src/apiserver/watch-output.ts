/**
 * What a watch connection is sent, coalesced: every event written to one connection while the
 * server dispatches goes out as one socket write at the end of the turn. Upstream's watch server
 * does the same — it flushes a watch only when no further event waits in its channel — so a
 * fan-out that falls behind sends several events per write, not one write per event.
 *
 * A round of writes to a thousand sockets costs milliseconds (a syscall each); the next round
 * rests as long as that one took. So the writes take at most half the server's time, and under a
 * heavy fan-out each write carries more events, while a light one flushes every turn.
 *
 *   dispatch ─► output.write(event) ─► queued ─┐
 *   dispatch ─► output.write(event) ─► queued ─┴─► end of turn, after the rest ─► socket.write(all queued)
 */
import type { Socket } from 'node:net';

const waiting = new Set<WatchOutput>();
let scheduled = false;
/** No flush starts before this time (performance.now()); see `flushWaiting`. */
let restUntil = 0;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  const wait = restUntil - performance.now();
  if (wait < 1) setImmediate(flushWaiting);
  else setTimeout(flushWaiting, wait);
}

/** Writes every waiting connection's bytes; the next round rests as long as this one took. */
function flushWaiting(): void {
  scheduled = false;
  const started = performance.now();
  for (const output of waiting) output.flush();
  waiting.clear();
  const ended = performance.now();
  restUntil = ended + (ended - started);
}

export class WatchOutput {
  private chunks: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly socket: Socket) {}

  /** Queues bytes for the end of this turn. */
  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.chunks.length > 1) return;
    waiting.add(this);
    schedule();
  }

  /** Bytes written and not yet taken by the kernel: queued here, or buffered by the socket. */
  get unsentBytes(): number {
    return this.bytes + this.socket.writableLength;
  }

  /** Writes what is queued now (before the response's last chunk, say). */
  flush(): void {
    if (this.chunks.length === 0) return;
    const data = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.bytes);
    this.chunks = [];
    this.bytes = 0;
    waiting.delete(this);
    if (!this.socket.destroyed) this.socket.write(data);
  }
}
