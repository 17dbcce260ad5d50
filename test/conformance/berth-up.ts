/**
 * A whole cluster for the kubectl conformance suite: `berth up` as a child process (the sources,
 * through the CLI tests' transpile cache), in a temp data dir, on a free port, with its own node
 * name on the real Docker engine, over the embedded SQLite store or a real etcd. kubectl then
 * uses the kubeconfig `berth up` wrote, as a user would (HTTPS, the CA, the admin token).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '../../src/client';
import { connectionFrom } from '../../src/client/connection';
import { KubectlSession } from '../kubectl/session';
import { Backend, sharedEtcd } from '../support/api-server';
import { busyboxImage, requireDocker } from '../support/busybox-image';
import { freePort } from '../support/ports';

const root = path.resolve(__dirname, '../..');

export class BerthUp {
  private output = '';

  private constructor(
    readonly backend: Backend,
    readonly dataDir: string,
    readonly node: string,
    readonly url: string,
    readonly kubectl: KubectlSession,
    readonly client: Client,
    readonly image: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (chunk) => (this.output = (this.output + chunk).slice(-20000)));
    child.stderr!.on('data', (chunk) => (this.output = (this.output + chunk).slice(-20000)));
  }

  static async start(backend: Backend): Promise<BerthUp> {
    const docker = await requireDocker();
    const image = await busyboxImage(docker);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-conformance-${backend}-`));
    const node = `conformance-${backend}-${randomBytes(3).toString('hex')}`;
    const port = await freePort();
    const args = ['up', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--node', node, '--runtime', 'docker'];
    if (backend === 'etcd') args.push('--etcd', (await sharedEtcd()).endpoint, '--etcd-prefix', `/conformance-${node}`);
    const child = spawn(process.execPath, ['-r', path.join(root, 'test/cli/register-cached.js'), path.join(root, 'src/cli/main.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BERTH_LOG_LEVEL: 'warn', HOME: dataDir },
    });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`berth up did not come up in 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('berth is up')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`berth up exited with ${code}:\n${output}`));
      });
    });
    const kubeconfig = path.join(dataDir, 'kubeconfig');
    const url = `https://127.0.0.1:${port}`;
    const kubectl = new KubectlSession(url, { kubeconfig });
    const client = new Client(connectionFrom({ kubeconfig }));
    return new BerthUp(backend, dataDir, node, url, kubectl, client, image, child);
  }

  /** The last of what `berth up` printed (its log at warn), for failure messages. */
  log(): string {
    return this.output;
  }

  /** Stops berth up (Ctrl-C), then removes the containers of its node and its data dir. */
  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGINT');
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(kill);
    }
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=berth.node=${this.node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('docker', ['rm', '-f', '-v', ...ids]);
    this.kubectl.dispose();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
