/**
 * A writer of pods for the mirror tests: a deterministic plan of creates, label and annotation
 * changes and deletes, interleaved, run with several requests in flight while each pod's own
 * changes keep their order. It remembers what it deleted.
 */
import type { Reply } from '../support/http';

export type PodOp =
  | { op: 'create'; name: string }
  | { op: 'label'; name: string; wave: number }
  | { op: 'annotate'; name: string; touch: number }
  | { op: 'delete'; name: string };

type Request = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

export class PodWriter {
  /** Pods that exist after every planned op so far, in creation order. */
  readonly live: string[] = [];
  readonly deleted: string[] = [];
  private next = 0;
  private step = 0;
  private random: () => number;

  constructor(
    private readonly namespace: string,
    seed = 7,
  ) {
    this.random = mulberry32(seed);
  }

  /** Plans `count` creates, with a label change after every 3rd, an annotation after every 5th and a delete after every 8th. */
  plan(count: number, { mixed = true } = {}): PodOp[] {
    const ops: PodOp[] = [];
    for (let i = 0; i < count; i++) {
      const name = `mirror-${String(this.next++).padStart(4, '0')}`;
      ops.push({ op: 'create', name });
      this.live.push(name);
      this.step++;
      if (!mixed) continue;
      if (this.step % 3 === 0) ops.push({ op: 'label', name: this.pick(), wave: this.step });
      if (this.step % 5 === 0) ops.push({ op: 'annotate', name: this.pick(), touch: this.step });
      if (this.step % 8 === 0) {
        const gone = this.pick();
        this.live.splice(this.live.indexOf(gone), 1);
        this.deleted.push(gone);
        ops.push({ op: 'delete', name: gone });
      }
    }
    return ops;
  }

  /** Plans changes to pods that exist: `labels` label changes, then `deletes` deletes. */
  planChanges(labels: number, deletes: number): PodOp[] {
    const ops: PodOp[] = [];
    for (let i = 0; i < labels; i++) ops.push({ op: 'label', name: this.pick(), wave: ++this.step });
    for (let i = 0; i < deletes; i++) {
      const gone = this.pick();
      this.live.splice(this.live.indexOf(gone), 1);
      this.deleted.push(gone);
      ops.push({ op: 'delete', name: gone });
    }
    return ops;
  }

  /** Runs the ops, `parallel` requests at a time; each pod's ops run in plan order. */
  async run(request: Request, ops: PodOp[], parallel = 16): Promise<void> {
    const chains = new Map<string, Promise<void>>();
    const slots = new Semaphore(parallel);
    for (const op of ops) {
      const before = chains.get(op.name) ?? Promise.resolve();
      chains.set(
        op.name,
        before.then(() => slots.run(() => this.apply(request, op))),
      );
    }
    await Promise.all(chains.values());
  }

  private async apply(request: Request, op: PodOp): Promise<void> {
    const path = `/api/v1/namespaces/${this.namespace}/pods`;
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    let reply: Reply;
    switch (op.op) {
      case 'create':
        reply = await request('POST', path, pod(op.name));
        return expectStatus(reply, 201, op);
      case 'label':
        reply = await request('PATCH', `${path}/${op.name}`, { metadata: { labels: { wave: String(op.wave) } } }, merge);
        return expectStatus(reply, 200, op);
      case 'annotate':
        reply = await request('PATCH', `${path}/${op.name}`, { metadata: { annotations: { 'example.com/touched': String(op.touch) } } }, merge);
        return expectStatus(reply, 200, op);
      case 'delete':
        reply = await request('DELETE', `${path}/${op.name}`);
        return expectStatus(reply, 200, op);
    }
  }

  private pick(): string {
    return this.live[Math.floor(this.random() * this.live.length)];
  }
}

function pod(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'mirror', wave: '0' } },
    spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
  };
}

function expectStatus(reply: Reply, status: number, op: PodOp): void {
  if (reply.status !== status) throw new Error(`${op.op} ${op.name}: expected ${status}, got ${reply.status}: ${reply.text.slice(0, 300)}`);
}

class Semaphore {
  private waiting: Array<() => void> = [];
  private free: number;

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** A small seeded random number generator, so a failing plan can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
