/**
 * The real kubectl against a test API server: a temp HOME (kubectl keeps its discovery cache in
 * ~/.kube/cache) and a kubeconfig pointing at the server. Runs are asynchronous, because the
 * server under test answers from this very process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireCommand } from '../support/parts';

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SessionOptions {
  /** PEM of the CA that signed the server's certificate (https servers). */
  ca?: string;
  /** Bearer token; kubectl sends it over https only (K8S-WIRE §10). */
  token?: string;
  namespace?: string;
  /** Use this kubeconfig file as written (e.g. the one `berth up` wrote) instead of making one. */
  kubeconfig?: string;
}

/** A kubectl running in the background (`get -w`): its output so far, and a way to wait for more. */
export interface BackgroundKubectl {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Waits until stdout holds `count` whole non-empty lines. */
  waitForLines(count: number, timeoutMs?: number): Promise<string[]>;
  /** Resolves with the exit code once it exits (on its own, or after `stop`). */
  readonly done: Promise<number | null>;
  /** Stops it and waits for it to exit. */
  stop(): Promise<void>;
}

export class KubectlSession {
  readonly dir: string;
  readonly kubeconfig: string;
  private readonly binary: string;

  constructor(
    readonly server: string,
    options: SessionOptions = {},
  ) {
    this.binary = requireCommand('kubectl', 'kubectl 1.32 from the Kubernetes apt repository');
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kubectl-'));
    fs.mkdirSync(path.join(this.dir, 'home'));
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    fs.writeFileSync(this.kubeconfig, options.kubeconfig ? fs.readFileSync(options.kubeconfig) : kubeconfig(server, options));
  }

  /** Points the kubeconfig at other credentials, keeping the discovery cache (a token that changed). */
  reconfigure(options: SessionOptions): void {
    fs.writeFileSync(this.kubeconfig, kubeconfig(this.server, options));
  }

  /** Writes a file into the session's directory and returns its path (for `-f`). */
  file(name: string, text: string): string {
    const file = path.join(this.dir, name);
    fs.writeFileSync(file, text);
    return file;
  }

  /** Runs kubectl to completion; never throws on a non-zero exit (tests assert the code). */
  run(args: string[], options: { stdin?: string; timeoutMs?: number } = {}): Promise<KubectlRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, { env: this.env(), stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`kubectl ${args.join(' ')} did not finish in ${options.timeoutMs ?? 30000} ms; stdout: ${stdout}; stderr: ${stderr}`));
      }, options.timeoutMs ?? 30000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      child.stdin.end(options.stdin ?? '');
    });
  }

  /** Runs kubectl and expects exit 0; the error carries its output. */
  async ok(args: string[], options: { stdin?: string } = {}): Promise<string> {
    const r = await this.run(args, options);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited with ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  /** kubectl ... -o json, parsed. */
  async json(args: string[]): Promise<any> {
    return JSON.parse(await this.ok([...args, '-o', 'json']));
  }

  /** Starts a long-running kubectl (such as `get -w`). */
  background(args: string[]): BackgroundKubectl {
    const child = spawn(this.binary, args, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let exited = false;
    const wakers = new Set<() => void>();
    const wake = () => wakers.forEach((w) => w());
    child.stdout.on('data', (c) => {
      stdout += c;
      wake();
    });
    child.stderr.on('data', (c) => (stderr += c));
    const exit = new Promise<number | null>((resolve) =>
      child.on('close', (code) => {
        exited = true;
        wake();
        resolve(code);
      }),
    );
    // Whole lines only: a pipe read may end inside a row kubectl wrote in one go.
    const lines = () => stdout.slice(0, stdout.lastIndexOf('\n') + 1).split('\n').filter((l) => l.trim() !== '');
    return {
      stdout: () => stdout,
      stderr: () => stderr,
      waitForLines: async (count, timeoutMs = 15000) => {
        const deadline = Date.now() + timeoutMs;
        while (lines().length < count) {
          if (exited) throw new Error(`kubectl ${args.join(' ')} exited after ${lines().length} of ${count} lines\nstdout: ${stdout}\nstderr: ${stderr}`);
          const left = deadline - Date.now();
          if (left <= 0) throw new Error(`timed out waiting for ${count} lines from kubectl ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`);
          await new Promise<void>((resolve) => {
            const waker = () => {
              clearTimeout(timer);
              wakers.delete(waker);
              resolve();
            };
            const timer = setTimeout(waker, left);
            wakers.add(waker);
          });
        }
        return lines();
      },
      done: exit,
      stop: async () => {
        if (!exited) child.kill('SIGTERM');
        await exit;
      },
    };
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: path.join(this.dir, 'home'),
      KUBECONFIG: this.kubeconfig,
      // Plain output: no colours, no interactive editor, no update checks.
      TERM: 'dumb',
      KUBECTL_INTERACTIVE_DELETE: 'false',
    };
  }
}

/**
 * The rows of kubectl's table output, header first. Cells are cut at the header's column
 * starts, as kubectl aligns them, so empty cells stay in place.
 */
export function tableRows(output: string): string[][] {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const starts = [...lines[0].matchAll(/\S+(?: \S+)*/g)].map((m) => m.index!);
  return lines.map((line) => starts.map((start, i) => line.slice(start, starts[i + 1]).trim()));
}

/** The header cells of each table in a multi-kind `kubectl get` (tables are separated by a blank line). */
export function tableHeaders(output: string): string[][] {
  return output
    .trim()
    .split(/\n\s*\n/)
    .map((block) => block.split('\n')[0].trim().split(/\s{2,}/));
}

function kubeconfig(server: string, options: SessionOptions): string {
  const cluster: Record<string, string> = { server };
  if (options.ca) cluster['certificate-authority-data'] = Buffer.from(options.ca).toString('base64');
  const user = options.token ? { token: options.token } : {};
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster }],
    users: [{ name: 'test', user }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'test', namespace: options.namespace ?? 'default' } }],
    'current-context': 'test',
  });
}
