/**
 * The @kubernetes/client-node informer of informer-mirror.mjs as a child process, and what it
 * says: its mirror of the pods, the deletes it reported, and a bare watch with bookmarks; it can
 * be stopped and started again.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface MirroredPod {
  resourceVersion: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface Mirror {
  pods: Record<string, MirroredPod>;
  /** Names the informer reported deleted, in order. */
  deleted: string[];
  stats: { lists: number; connects: number; errors: number; adds: number; updates: number; deletes: number };
  /** The informer's latestResourceVersion(). */
  resourceVersion: string;
}

export interface SeenEvent {
  type: string;
  kind?: string;
  apiVersion?: string;
  name?: string;
  resourceVersion?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Message = Record<string, any>;

export class InformerProcess {
  /** Errors the informer reported (each followed by a restart). */
  readonly errors: string[] = [];
  private readonly child: ChildProcess;
  private readonly messages: Message[] = [];
  private waiters: Array<() => void> = [];
  private stderr = '';
  private exited = false;

  constructor(kubeconfig: string, namespace: string) {
    this.child = spawn(process.execPath, [path.join(__dirname, 'informer-mirror.mjs'), kubeconfig, namespace], { stdio: ['pipe', 'pipe', 'pipe'] });
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as Message;
      if (message.event === 'error') this.errors.push(message.message);
      this.messages.push(message);
      this.wake();
    });
    this.child.stderr!.on('data', (c) => (this.stderr = (this.stderr + c).slice(-4000)));
    this.child.on('exit', () => {
      this.exited = true;
      this.wake();
    });
  }

  /** Waits for the first list to be in the informer's cache. */
  async started(): Promise<void> {
    await this.next((m) => m.event === 'started', 'the informer to start');
  }

  async mirror(): Promise<Mirror> {
    return (await this.ask({ ask: 'mirror' }, 'mirror')) as Mirror;
  }

  /** A bare Watch (allowWatchBookmarks=true) from `resourceVersion` until a BOOKMARK, or until `until` events other than bookmarks. */
  async watch(resourceVersion: string, until: 'BOOKMARK' | number): Promise<{ events: SeenEvent[]; error?: string }> {
    return (await this.ask({ ask: 'watch', resourceVersion, until }, 'watch', 20000)) as { events: SeenEvent[]; error?: string };
  }

  /** informer.stop(): the watch is cut; the cache stays as it is. */
  async stop(): Promise<void> {
    await this.ask({ ask: 'stop' }, 'stop');
  }

  /** informer.start() again: it watches from the version it last saw. */
  async start(): Promise<void> {
    await this.ask({ ask: 'start' }, 'start');
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(kill);
  }

  private async ask(message: Message, reply: string, timeoutMs = 10000): Promise<Message> {
    const from = this.messages.length;
    this.child.stdin!.write(JSON.stringify(message) + '\n');
    return this.next((m) => m.reply === reply, `a ${reply} reply`, timeoutMs, from);
  }

  private async next(match: (m: Message) => boolean, what: string, timeoutMs = 20000, from = 0): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found) return found;
      if (this.exited) throw new Error(`the informer process exited while waiting for ${what}: ${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; errors: ${JSON.stringify(this.errors)}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
