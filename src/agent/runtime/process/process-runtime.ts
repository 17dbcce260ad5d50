/**
 * The process runtime: a container's command runs as a plain host process. NO ISOLATION — no
 * image, no network namespace (every pod has the node's address, so two pods on one port
 * clash), no volume mounts (mountPath does not exist for the process), no resource limits. It
 * exists for hosts without Docker and for development; everything it starts says so in its
 * containerID (process://) and in the agent's log.
 *
 * Each container gets a directory under <dataDir>/process holding its spec, labels, output and
 * exit record; a detached wrapper (wrapper-script.ts) watches the process, so a restarted agent
 * adopts running processes from those directories.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { logger } from '../../../log';
import { readLogFile } from '../../logs/log-file';
import { ContainerNotFound, CreateContainerFailed, StartContainerFailed } from '../errors';
import { labelKeys, parseLabels, podLabels } from '../labels';
import {
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ExecOptions,
  ExecResult,
  ExecSession,
  ImageInfo,
  ListFilter,
  LogOptions,
  RuntimeVersion,
  SandboxInfo,
  SandboxSpec,
} from '../runtime';
import { WRAPPER_SCRIPT } from './wrapper-script';

export interface ProcessRuntimeOptions {
  node: string;
  dataDir: string;
  /** The address pods report; the node's, since processes share its network. */
  hostIP?: string;
  labels?: Record<string, string>;
}

interface StoredContainer {
  labels: Record<string, string>;
  createdAt: number;
  env: Record<string, string>;
  cwd: string;
}

interface StoredSandbox {
  labels: Record<string, string>;
  createdAt: number;
  hostNetwork: boolean;
  stopped: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export class ProcessRuntime implements ContainerRuntime {
  readonly kind = 'process' as const;
  readonly idScheme = 'process://';
  private readonly root: string;
  private readonly hostIP: string;
  private readonly log;

  constructor(private readonly options: ProcessRuntimeOptions) {
    this.root = path.join(options.dataDir, 'process');
    this.hostIP = options.hostIP ?? '127.0.0.1';
    this.log = logger('process-runtime', { node: options.node });
  }

  private containerDir = (id: string) => path.join(this.root, 'containers', id);
  private sandboxFile = (id: string) => path.join(this.root, 'sandboxes', `${id}.json`);

  async prepare(): Promise<void> {
    await fs.mkdir(path.join(this.root, 'containers'), { recursive: true });
    await fs.mkdir(path.join(this.root, 'sandboxes'), { recursive: true });
    await fs.writeFile(path.join(this.root, 'wrapper.js'), WRAPPER_SCRIPT);
    this.log.warn('the process runtime runs containers as plain host processes, without any isolation');
  }

  async version(): Promise<RuntimeVersion> {
    return { runtime: 'process', version: process.version };
  }

  podSubnets(): string[] {
    return [`${this.hostIP}/32`];
  }

  /** There are no images: the command runs from the host's own files. */
  async ensureImage(): Promise<ImageInfo> {
    return { id: 'host', pulled: false };
  }

  private matches(labels: Record<string, string>, filter?: ListFilter): boolean {
    if (labels[labelKeys.node] !== this.options.node) return false;
    if (filter?.podUid && labels[labelKeys.podUid] !== filter.podUid) return false;
    return Object.entries(this.options.labels ?? {}).every(([k, v]) => labels[k] === v);
  }

  async runSandbox(spec: SandboxSpec): Promise<SandboxInfo> {
    const id = randomBytes(16).toString('hex');
    const labels = { ...(this.options.labels ?? {}), ...(spec.labels ?? {}), ...podLabels(this.options.node, spec.pod, 'sandbox'), [labelKeys.attempt]: String(spec.attempt) };
    const stored: StoredSandbox = { labels, createdAt: Date.now(), hostNetwork: spec.hostNetwork, stopped: false };
    await fs.writeFile(this.sandboxFile(id), JSON.stringify(stored));
    return this.sandboxInfo(id, stored)!;
  }

  private sandboxInfo(id: string, stored: StoredSandbox): SandboxInfo | undefined {
    const parsed = parseLabels(stored.labels);
    if (!parsed) return undefined;
    return {
      id,
      pod: parsed.pod,
      attempt: parsed.attempt,
      state: stored.stopped ? 'notready' : 'ready',
      ip: stored.stopped || stored.hostNetwork ? undefined : this.hostIP,
      hostNetwork: stored.hostNetwork,
      createdAt: stored.createdAt,
    };
  }

  async listSandboxes(filter?: ListFilter): Promise<SandboxInfo[]> {
    const out: SandboxInfo[] = [];
    for (const file of await fs.readdir(path.join(this.root, 'sandboxes')).catch(() => [])) {
      if (!file.endsWith('.json')) continue;
      const stored = await readJson<StoredSandbox>(path.join(this.root, 'sandboxes', file));
      if (!stored || !this.matches(stored.labels, filter)) continue;
      const info = this.sandboxInfo(file.slice(0, -5), stored);
      if (info) out.push(info);
    }
    return out;
  }

  async stopSandbox(id: string): Promise<void> {
    const stored = await readJson<StoredSandbox>(this.sandboxFile(id));
    if (!stored) return;
    await fs.writeFile(this.sandboxFile(id), JSON.stringify({ ...stored, stopped: true }));
  }

  async removeSandbox(id: string): Promise<void> {
    await fs.rm(this.sandboxFile(id), { force: true });
  }

  async runContainer(sandbox: SandboxInfo, spec: ContainerSpec): Promise<string> {
    const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
    if (argv.length === 0) {
      throw new CreateContainerFailed(`container ${spec.name}: the process runtime has no image to take a command from; give the container a command`);
    }
    const id = randomBytes(16).toString('hex');
    const dir = this.containerDir(id);
    await fs.mkdir(dir, { recursive: true });
    const cwd = spec.workingDir && existsSync(spec.workingDir) ? spec.workingDir : dir;
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, HOSTNAME: spec.pod.name, BERTH_RUNTIME: 'process' };
    for (const variable of spec.env) env[variable.name] = variable.value;
    const labels = {
      ...(this.options.labels ?? {}),
      ...(spec.labels ?? {}),
      ...podLabels(this.options.node, spec.pod, spec.kind),
      [labelKeys.containerName]: spec.name,
      [labelKeys.specHash]: spec.specHash,
      [labelKeys.attempt]: String(spec.attempt),
      [labelKeys.image]: spec.image,
    };
    const stored: StoredContainer = { labels, createdAt: Date.now(), env, cwd };
    await fs.writeFile(path.join(dir, 'container.json'), JSON.stringify(stored));
    await fs.writeFile(path.join(dir, 'spec.json'), JSON.stringify({ argv, cwd, env, uid: spec.security.user, gid: spec.security.group }));
    this.log.info('starting host process without isolation', { pod: `${spec.pod.namespace}/${spec.pod.name}`, container: spec.name, command: argv[0] });
    const wrapper = spawn(process.execPath, [path.join(this.root, 'wrapper.js'), dir], { detached: true, stdio: 'ignore' });
    wrapper.unref();
    // Wait until the wrapper started the process (or recorded why it could not).
    for (let i = 0; i < 100 && !existsSync(path.join(dir, 'pid.json')) && !existsSync(path.join(dir, 'exit.json')); i++) await sleep(20);
    return id;
  }

  async inspectContainer(id: string): Promise<ContainerInfo> {
    const dir = this.containerDir(id);
    const stored = await readJson<StoredContainer>(path.join(dir, 'container.json'));
    const parsed = stored && parseLabels(stored.labels);
    if (!stored || !parsed || parsed.role === 'sandbox') throw new ContainerNotFound(`process container ${id} not found`);
    const started = await readJson<{ pid: number; wrapper?: number; startedAt: number }>(path.join(dir, 'pid.json'));
    const exit = await readJson<{ exitCode: number; finishedAt: number; message?: string }>(path.join(dir, 'exit.json'));
    const info: ContainerInfo = {
      id,
      pod: parsed.pod,
      name: parsed.containerName,
      kind: parsed.role,
      attempt: parsed.attempt,
      specHash: parsed.specHash,
      image: parsed.image,
      imageID: 'host',
      state: 'created',
      createdAt: stored.createdAt,
    };
    if (started) info.startedAt = started.startedAt;
    if (exit) {
      info.state = 'exited';
      info.exitCode = exit.exitCode;
      info.finishedAt = exit.finishedAt;
      if (exit.message) info.message = exit.message;
    } else if (started && (alive(started.pid) || (started.wrapper !== undefined && alive(started.wrapper)))) {
      // Running, or just ended: the wrapper records the exit once the output is drained.
      info.state = 'running';
    } else if (started) {
      // The wrapper died with the process (the host rebooted, or it was killed): the exit is unknown.
      info.state = 'exited';
      info.exitCode = 255;
      info.finishedAt = Date.now();
      info.message = 'the process ended without its exit being recorded';
    }
    return info;
  }

  async listContainers(filter?: ListFilter): Promise<ContainerInfo[]> {
    const out: ContainerInfo[] = [];
    for (const id of await fs.readdir(path.join(this.root, 'containers')).catch(() => [])) {
      const stored = await readJson<StoredContainer>(path.join(this.containerDir(id), 'container.json'));
      if (!stored || !this.matches(stored.labels, filter)) continue;
      try {
        out.push(await this.inspectContainer(id));
      } catch (error) {
        if (!(error instanceof ContainerNotFound)) throw error;
      }
    }
    return out;
  }

  private signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already.
    }
  }

  async stopContainer(id: string, graceSeconds: number, signal = 'SIGTERM'): Promise<void> {
    const dir = this.containerDir(id);
    const started = await readJson<{ pid: number }>(path.join(dir, 'pid.json'));
    if (!started || existsSync(path.join(dir, 'exit.json'))) return;
    this.signalGroup(started.pid, signal as NodeJS.Signals);
    const deadline = Date.now() + graceSeconds * 1000;
    while (Date.now() < deadline && !existsSync(path.join(dir, 'exit.json'))) await sleep(50);
    if (existsSync(path.join(dir, 'exit.json'))) return;
    this.signalGroup(started.pid, 'SIGKILL');
    for (let i = 0; i < 100 && !existsSync(path.join(dir, 'exit.json')); i++) await sleep(50);
  }

  async removeContainer(id: string): Promise<void> {
    const started = await readJson<{ pid: number }>(path.join(this.containerDir(id), 'pid.json'));
    if (started && alive(started.pid)) this.signalGroup(started.pid, 'SIGKILL');
    await fs.rm(this.containerDir(id), { recursive: true, force: true });
  }

  async logs(id: string, options: LogOptions): Promise<Readable> {
    const dir = this.containerDir(id);
    if (!existsSync(dir)) throw new ContainerNotFound(`process container ${id} not found`);
    return readLogFile(path.join(dir, 'log.jsonl'), options, () => !existsSync(path.join(dir, 'exit.json')) && existsSync(dir));
  }

  async exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    const stored = await readJson<StoredContainer>(path.join(this.containerDir(id), 'container.json'));
    if (!stored) throw new ContainerNotFound(`process container ${id} not found`);
    if (command.length === 0) return { exitCode: 126, output: 'no command given', timedOut: false };
    return new Promise((resolve) => {
      const child = spawn(command[0], command.slice(1), { cwd: stored.cwd, env: stored.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve({ exitCode: -1, output, timedOut: true });
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ exitCode: 127, output: error.message, timedOut: false });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: code ?? -1, output, timedOut: false });
      });
    });
  }

  /** A host process in the container's working directory and environment (no TTY: there is no isolation to attach one to). */
  async startExec(id: string, command: string[], options: ExecOptions): Promise<ExecSession> {
    const stored = await readJson<StoredContainer>(path.join(this.containerDir(id), 'container.json'));
    if (!stored) throw new ContainerNotFound(`process container ${id} not found`);
    if (command.length === 0) throw new StartContainerFailed('no command given');
    const child = spawn(command[0], command.slice(1), { cwd: stored.cwd, env: stored.env, stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    // A command that cannot start says why on stderr, as a shell would.
    const stderr = new PassThrough();
    child.stderr!.pipe(stderr);
    const exited = new Promise<number>((resolve) => {
      child.on('error', (error) => {
        stderr.end(`${error.message}\n`);
        resolve(127);
      });
      child.on('close', (code) => resolve(code ?? -1));
    });
    return {
      stdout: child.stdout!,
      stderr,
      stdin: child.stdin ?? undefined,
      resize: async () => undefined,
      exitCode: () => exited,
      abort: () => child.kill('SIGKILL'),
    };
  }

  async close(): Promise<void> {
    // Processes keep running under their wrappers; nothing is held open here.
  }
}
