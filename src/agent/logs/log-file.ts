/**
 * Container output kept by the agent itself (process and simulated runtimes), one JSON line per
 * line written — {"time", "stream", "log"} as Docker's json-file driver keeps it — and read back
 * with tail, since, timestamps and follow.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { LogOptions } from '../runtime/runtime';

export interface LogRecord {
  /** RFC 3339 with nanoseconds, as Docker's timestamps. */
  time: string;
  stream: 'stdout' | 'stderr';
  log: string;
}

/** Milliseconds as Docker writes times: nine fraction digits. */
export function nanoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function formatRecord(record: LogRecord, timestamps: boolean): string {
  return timestamps ? `${record.time} ${record.log}` : record.log;
}

/** Splits written bytes into records, one per line; a trailing partial line waits for more. */
export class LineSplitter {
  private partial = '';
  constructor(private readonly stream: 'stdout' | 'stderr', private readonly clock: () => number = Date.now) {}

  push(chunk: Buffer | string): LogRecord[] {
    const text = this.partial + chunk.toString();
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const time = nanoTime(this.clock());
    return lines.map((line) => ({ time, stream: this.stream, log: `${line}\n` }));
  }

  flush(): LogRecord[] {
    if (!this.partial) return [];
    const record: LogRecord = { time: nanoTime(this.clock()), stream: this.stream, log: this.partial };
    this.partial = '';
    return [record];
  }
}

function parse(line: string): LogRecord | undefined {
  try {
    return JSON.parse(line) as LogRecord;
  } catch {
    return undefined;
  }
}

function selected(records: LogRecord[], options: LogOptions): LogRecord[] {
  let out = options.sinceTime === undefined ? records : records.filter((r) => Date.parse(r.time) >= options.sinceTime!);
  if (options.tailLines !== undefined) out = options.tailLines <= 0 ? [] : out.slice(-options.tailLines);
  return out;
}

/**
 * The file's records as options say; with follow, new records as they are appended until
 * `stillWriting()` says the container ended or the signal aborts.
 */
export async function readLogFile(file: string, options: LogOptions, stillWriting: () => boolean): Promise<Readable> {
  const content = await fs.readFile(file, 'utf8').catch(() => '');
  const records = selected(content.split('\n').filter(Boolean).map(parse).filter((r): r is LogRecord => Boolean(r)), options);
  const initial = records.map((r) => formatRecord(r, options.timestamps === true));
  if (!options.follow) return Readable.from(initial.length ? [initial.join('')] : []);

  let offset = Buffer.byteLength(content);
  let partial = '';
  const out = new Readable({ read() {} });
  if (initial.length) out.push(initial.join(''));
  const poll = async (): Promise<void> => {
    while (!options.signal?.aborted && !out.destroyed) {
      const size = (await fs.stat(file).catch(() => undefined))?.size ?? offset;
      if (size > offset) {
        const chunks: Buffer[] = [];
        for await (const chunk of createReadStream(file, { start: offset, end: size - 1 })) chunks.push(chunk as Buffer);
        offset = size;
        const lines = (partial + Buffer.concat(chunks).toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const record of lines.map(parse)) if (record) out.push(formatRecord(record, options.timestamps === true));
      } else if (!stillWriting()) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    out.push(null);
  };
  void poll();
  return out;
}
