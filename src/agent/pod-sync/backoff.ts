/**
 * Per-key exponential backoff, as kubelet's flowcontrol.Backoff: 10 s doubling to 5 min; an entry
 * not touched for twice the maximum (10 min, e.g. a container that ran that long) starts over.
 * Used for crash loops (key: pod uid + container name) and image pulls (key: pod uid + image).
 *
 * The queries are pure (they take `now`); only `next` records anything.
 */

export interface BackoffView {
  /** Milliseconds still to wait since `eventTime` (a container's finish); 0 when free to go. */
  remainingSince(key: string, eventTime: number, now: number): number;
  /** Milliseconds still to wait since the last `next` (image pulls); 0 when free to go. */
  remainingSinceUpdate(key: string, now: number): number;
  /** The current delay of a key, 0 when it has none. */
  delay(key: string): number;
}

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff implements BackoffView {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly initialMs = 10_000,
    readonly maxMs = 300_000,
  ) {}

  private expired(eventTime: number, entry: Entry): boolean {
    return eventTime - entry.lastUpdate > 2 * this.maxMs;
  }

  remainingSince(key: string, eventTime: number, now: number): number {
    const entry = this.entries.get(key);
    if (!entry || this.expired(eventTime, entry)) return 0;
    return Math.max(0, entry.delayMs - (now - eventTime));
  }

  remainingSinceUpdate(key: string, now: number): number {
    const entry = this.entries.get(key);
    if (!entry || this.expired(now, entry)) return 0;
    return Math.max(0, entry.delayMs - (now - entry.lastUpdate));
  }

  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Records one more failure at `eventTime`: the first delay, or double the last one. */
  next(key: string, eventTime: number, now: number): number {
    const entry = this.entries.get(key);
    const delayMs = !entry || this.expired(eventTime, entry) ? this.initialMs : Math.min(entry.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: now });
    return delayMs;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key of a pod (its keys start with its uid). */
  forgetPod(uid: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${uid}/`)) this.entries.delete(key);
  }

  /** Drops entries nobody has touched for longer than they can matter. */
  collect(now: number): void {
    for (const [key, entry] of this.entries) if (this.expired(now, entry)) this.entries.delete(key);
  }
}

export const crashKey = (uid: string, container: string): string => `${uid}/container/${container}`;
export const pullKey = (uid: string, image: string): string => `${uid}/image/${image}`;

/** "10s", "1m20s", "5m0s": Go's time.Duration format, as kubelet's messages print delays. */
export function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds % 60}s`;
}
