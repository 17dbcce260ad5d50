/**
 * The README's quick start, run as written (plus a data dir, port and node name of the test's own),
 * so it never rots: the cluster comes up, the examples become ready, and a restart adopts them.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, kinds } from '../src/client';
import { connectionFrom } from '../src/client/connection';
import { request } from './support/http';
import { freePort } from './support/ports';

const root = path.resolve(__dirname, '..');

/** The first ```sh block under "Set up" in the README. */
function quickStartCommand(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const setup = readme.slice(readme.indexOf('## Set up'));
  const block = /```sh\n([^`]+)```/.exec(setup);
  if (!block) throw new Error('README has no ```sh block under "## Set up"');
  return block[1].trim();
}

function runUntil(child: ChildProcess, text: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms; output:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before "${text}"; output:\n${output.slice(-3000)}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGKILL'), 20000).unref();
  });
}

function containerStarts(node: string): string[] {
  const ids = execFileSync('docker', ['ps', '-q', '--filter', `label=berth.node=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  return execFileSync('docker', ['inspect', '-f', '{{.Id}} {{.State.StartedAt}}', ...ids], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

describe('the README quick start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-quickstart-'));
  const node = `quickstart-${process.pid}`;
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child) await stop(child);
    const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=berth.node=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings up a cluster that runs the examples, and resumes it after a restart', async () => {
    const command = quickStartCommand();
    expect(command).toBe('scripts/up');
    const port = await freePort();
    const args = ['--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, '--node', node];
    const start = () => spawn('bash', ['-c', `${command} "$@"`, 'quickstart', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BERTH_LOG_LEVEL: 'warn' } });

    child = start();
    const output = await runUntil(child, 'Everything applied is ready', 240_000);
    expect(output).toContain('deployment.apps/web');
    expect(output).toContain('job.batch/hello');

    const client = new Client(connectionFrom({ kubeconfig: path.join(dataDir, 'kubeconfig') }));
    try {
      const web = await client.resource(kinds.Deployment, 'default').get('web');
      expect(web.status?.availableReplicas).toBe(3);
      const pods = await client.resource(kinds.Pod, 'default').list({ labelSelector: 'app=web' });
      const ip = pods.items[0].status?.podIP;
      expect(ip).toBeTruthy();
      const page = execFileSync('docker', ['run', '--rm', '--network', 'berth', 'berth/busybox:1.35', 'wget', '-qO-', `http://${ip}/`], { encoding: 'utf8' });
      expect(page).toContain('served by berth');
      // As the README says: the web example answers on every node at 127.0.0.1:30080.
      expect((await request('GET', 'http://127.0.0.1:30080/')).text).toContain('served by berth');
    } finally {
      client.close();
    }

    const before = containerStarts(node);
    expect(before.length).toBeGreaterThanOrEqual(6); // three web pods, each a sandbox and httpd
    await stop(child);
    child = start();
    await runUntil(child, 'Everything applied is ready', 240_000);
    const after = containerStarts(node);
    for (const line of before) expect(after).toContain(line);
  }, 600_000);
});
