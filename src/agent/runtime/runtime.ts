/**
 * The contract between the pod sync and whatever runs containers: Docker, host processes, or a
 * simulation. The pod sync decides; a runtime only does what it is told and reports what exists.
 *
 * Everything a runtime creates carries labels (pod uid, namespace, name, container name, spec
 * hash, attempt, node), so a restarted agent finds and adopts it instead of starting it again.
 * Every method throws only errors from ./errors (RuntimeUnavailable when the runtime does not
 * answer, ImagePullFailed, ContainerNotFound, ...).
 */
import type { Readable, Writable } from 'node:stream';

export type RuntimeKind = 'docker' | 'process' | 'simulated';

/** Which pod something belongs to. */
export interface PodRef {
  uid: string;
  namespace: string;
  name: string;
}

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A hostPort: traffic to hostIP:hostPort on the node goes to containerPort in the pod. */
export interface PortMapping {
  containerPort: number;
  hostPort: number;
  protocol: Protocol;
  hostIP?: string;
}

/** What the pod's network sandbox needs: the namespace every container of the pod joins. */
export interface SandboxSpec {
  pod: PodRef;
  /** How many sandboxes this pod had before; the first is 0. */
  attempt: number;
  hostNetwork: boolean;
  hostname: string;
  ports: PortMapping[];
  hostAliases: { ip: string; hostnames: string[] }[];
  /** Extra labels (tests mark what they create with them). */
  labels?: Record<string, string>;
}

export interface SandboxInfo {
  id: string;
  pod: PodRef;
  attempt: number;
  /** ready: its network namespace is up; notready: it stopped (e.g. the runtime restarted). */
  state: 'ready' | 'notready';
  /** The pod's own address; absent for hostNetwork pods, which use the node's. */
  ip?: string;
  hostNetwork: boolean;
  createdAt: number;
}

/** A host directory mounted into a container. */
export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface ContainerResources {
  cpuLimitMillis?: number;
  memoryLimitBytes?: number;
  cpuRequestMillis?: number;
  memoryRequestBytes?: number;
}

export interface ContainerSecurity {
  user?: number;
  group?: number;
  readOnlyRootFilesystem?: boolean;
  privileged?: boolean;
  capabilitiesAdd?: string[];
  capabilitiesDrop?: string[];
  noNewPrivileges?: boolean;
}

export type ContainerKind = 'init' | 'app';

/**
 * One container, fully resolved: environment values already taken from ConfigMaps, Secrets and
 * the pod's fields, volumes already host directories. Built by pod-sync/container-spec.ts.
 */
export interface ContainerSpec {
  pod: PodRef;
  name: string;
  kind: ContainerKind;
  /** The restart count this instance starts with: 0 for the first run. */
  attempt: number;
  /** Hash of the container's spec in the pod; a change means the container must be replaced. */
  specHash: string;
  image: string;
  command?: string[];
  args?: string[];
  env: { name: string; value: string }[];
  workingDir?: string;
  mounts: Mount[];
  resources: ContainerResources;
  security: ContainerSecurity;
  tty?: boolean;
  stdin?: boolean;
  labels?: Record<string, string>;
}

export type ContainerRunState = 'created' | 'running' | 'exited' | 'unknown';

/** A container the runtime manages, as it is now. Times are epoch milliseconds. */
export interface ContainerInfo {
  id: string;
  pod: PodRef;
  name: string;
  kind: ContainerKind;
  attempt: number;
  specHash: string;
  /** The image as the pod spec names it. */
  image: string;
  imageID: string;
  state: ContainerRunState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  oomKilled?: boolean;
  /** What the runtime said when the container failed to start, if it did. */
  message?: string;
}

export interface ImageInfo {
  id: string;
  /** Whether ensureImage pulled it just now. */
  pulled: boolean;
}

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  /** Only lines written at or after this instant (epoch ms); sinceSeconds is turned into this. */
  sinceTime?: number;
  timestamps?: boolean;
  /** Ends a follow. */
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

/** An interactive command in a container (kubectl exec): its streams, and how it ended. */
export interface ExecSession {
  /** Standard output; with a TTY, everything the terminal shows. */
  stdout: Readable;
  /** Standard error (none with a TTY: it goes to the terminal). */
  stderr?: Readable;
  /** The command's standard input, when asked for; end() closes it. */
  stdin?: Writable;
  /** Sets the terminal size (TTY only). */
  resize(width: number, height: number): Promise<void>;
  /** The exit code, once the command has ended and its output streams have ended. */
  exitCode(): Promise<number>;
  /** Stops it early (the client went away). */
  abort(): void;
}

export interface ExecOptions {
  stdin: boolean;
  tty: boolean;
}

export interface RuntimeVersion {
  runtime: RuntimeKind;
  version: string;
  apiVersion?: string;
}

export interface ListFilter {
  podUid?: string;
}

export interface ContainerRuntime {
  readonly kind: RuntimeKind;
  /** The prefix of containerIDs in pod status: docker://, process://, simulated://. */
  readonly idScheme: string;

  /** Sets up what the runtime needs (the pod network, the sandbox image). Idempotent. */
  prepare(): Promise<void>;
  /** The runtime's version; throws RuntimeUnavailable when it does not answer. */
  version(): Promise<RuntimeVersion>;
  /** Address ranges pods get their IPs from (probes may only go there or to loopback). */
  podSubnets(): string[];

  /** Makes the image present as the pull policy says; returns its id. */
  ensureImage(image: string, policy: PullPolicy): Promise<ImageInfo>;

  runSandbox(spec: SandboxSpec): Promise<SandboxInfo>;
  listSandboxes(filter?: ListFilter): Promise<SandboxInfo[]>;
  stopSandbox(id: string): Promise<void>;
  removeSandbox(id: string): Promise<void>;

  /** Creates and starts a container in the sandbox's namespaces; returns its id. */
  runContainer(sandbox: SandboxInfo, spec: ContainerSpec): Promise<string>;
  listContainers(filter?: ListFilter): Promise<ContainerInfo[]>;
  inspectContainer(id: string): Promise<ContainerInfo>;
  /** Sends the stop signal (SIGTERM), waits up to graceSeconds for the exit, then kills. */
  stopContainer(id: string, graceSeconds: number, signal?: string): Promise<void>;
  removeContainer(id: string): Promise<void>;

  /** The container's output, stdout and stderr interleaved, as kubectl logs prints it. */
  logs(id: string, options: LogOptions): Promise<Readable>;
  /** Runs a command in the running container (exec probes); never throws on a non-zero exit. */
  exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult>;
  /** Starts a command in the running container with its streams attached (kubectl exec). */
  startExec(id: string, command: string[], options: ExecOptions): Promise<ExecSession>;

  /**
   * Calls `onChange(podUid)` as containers of pods change state (start, exit, OOM kill, removal),
   * until `signal` aborts; resolves when the stream of changes ends (the engine went away: the
   * caller re-lists everything and calls again), rejects with RuntimeUnavailable when it cannot
   * start. Optional: the agent re-lists runtimes without it at a short interval instead.
   */
  watchChanges?(onChange: (podUid: string) => void, signal: AbortSignal): Promise<void>;

  /** Releases connections and timers; containers keep running. */
  close(): Promise<void>;
}
