/**
 * The real `berth` command against a test API server: a child process running src/cli/main.ts
 * (as bin/berth runs the built copy), with a kubeconfig in a temp dir found through KUBECONFIG
 * and a temp HOME, so nothing of the developer's ~/.berth is read.
 *
 *   const berth = new BerthCli(api.url);
 *   const { code, stdout, stderr } = await berth.run(['get', 'pods', '-A']);
 *   const watching = berth.background(['get', 'pods', '-w']);  await watching.waitFor(/web/);
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const entry = [path.join(root, 'src/cli/main.ts')];
const register = ['-r', path.join(__dirname, 'register-cached.js')];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface BackgroundCli {
  stdout(): string;
  stderr(): string;
  /** Waits until stdout matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(): Promise<number>;
  /** Resolves with the exit code when it ends by itself. */
  exited(): Promise<number>;
}

export class BerthCli {
  readonly dir: string;
  readonly kubeconfig: string;

  /** `kubeconfig`: use this file as written (the one `berth up` wrote) instead of one for `server` over plain http. */
  constructor(server: string, options: { namespace?: string; kubeconfig?: string } = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-'));
    fs.mkdirSync(path.join(this.dir, 'home'));
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    if (options.kubeconfig) {
      fs.copyFileSync(options.kubeconfig, this.kubeconfig);
      return;
    }
    fs.writeFileSync(
      this.kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'test', cluster: { server } }],
        users: [{ name: 'test', user: {} }],
        contexts: [{ name: 'test', context: { cluster: 'test', user: 'test', namespace: options.namespace ?? 'default' } }],
        'current-context': 'test',
      }),
    );
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: path.join(this.dir, 'home'), KUBECONFIG: this.kubeconfig, BERTH_LOG_LEVEL: 'error', ...extra };
  }

  /** Runs berth to completion; never throws on a non-zero exit (tests assert the code). */
  run(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [...register, ...entry, ...args], { env: this.env(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const timeoutMs = options.timeoutMs ?? 30000;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`berth ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
  }

  /** Runs berth and expects exit 0; the error carries its output. */
  async ok(args: string[]): Promise<string> {
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`berth ${args.join(' ')} exited with ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    return r.stdout;
  }

  /** Starts a long-running berth (get -w, logs -f, rollout status). */
  background(args: string[]): BackgroundCli {
    const child: ChildProcess = spawn(process.execPath, [...register, ...entry, ...args], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const wakers = new Set<() => void>();
    const wake = () => wakers.forEach((w) => w());
    child.stdout!.on('data', (c) => {
      stdout += c;
      wake();
    });
    child.stderr!.on('data', (c) => (stderr += c));
    const exit = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : -1))));
    let ended = false;
    void exit.then(() => {
      ended = true;
      wake();
    });
    return {
      stdout: () => stdout,
      stderr: () => stderr,
      waitFor: async (pattern, timeoutMs = 20000) => {
        const deadline = Date.now() + timeoutMs;
        while (!pattern.test(stdout)) {
          const left = deadline - Date.now();
          if (ended || left <= 0) throw new Error(`berth ${args.join(' ')} ${ended ? 'ended' : 'timed out'} before printing ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`);
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
        return stdout;
      },
      interrupt: async () => {
        if (!ended) child.kill('SIGINT');
        return exit;
      },
      exited: () => exit,
    };
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
