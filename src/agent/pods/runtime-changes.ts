/**
 * How the agent learns that a container changed state without being asked (it exited, it was
 * OOM-killed, the engine restarted): the runtime's own change stream where it has one (Docker's
 * events, the simulated runtime's timers), else a re-list every couple of seconds compared with
 * the one before (kubelet's PLEG). Either way the pod concerned is synced at once.
 */
import { sleep } from '../../client/abort';
import { errorMessage, logger } from '../../log';
import { ContainerRuntime } from '../runtime/runtime';

export interface ChangeHandlers {
  /** Something of this pod changed. */
  changed(podUid: string): void;
  /** Changes may have been missed (the stream broke): every pod wants a look. */
  resync(): void;
  /** The runtime could not be watched (it does not answer). */
  failed?(error: unknown): void;
}

const log = logger('runtime-changes');

export async function followRuntimeChanges(
  runtime: ContainerRuntime,
  handlers: ChangeHandlers,
  signal: AbortSignal,
  options: { relistMs?: number; retryMs?: number } = {},
): Promise<void> {
  const retryMs = options.retryMs ?? 2_000;
  if (!runtime.watchChanges) return relist(runtime, handlers, signal, options.relistMs ?? 2_000);
  while (!signal.aborted) {
    try {
      await runtime.watchChanges((uid) => handlers.changed(uid), signal);
      if (signal.aborted) return;
      log.info('the runtime ended its change stream; watching again');
    } catch (error) {
      if (signal.aborted) return;
      handlers.failed?.(error);
      log.debug('cannot watch the runtime', { error: errorMessage(error) });
    }
    handlers.resync();
    await sleep(retryMs, signal);
  }
}

/** The states of every container, per pod uid, as one comparable string each. */
async function snapshot(runtime: ContainerRuntime): Promise<Map<string, string>> {
  const [sandboxes, containers] = await Promise.all([runtime.listSandboxes(), runtime.listContainers()]);
  const byPod = new Map<string, string[]>();
  const add = (uid: string, entry: string) => byPod.set(uid, [...(byPod.get(uid) ?? []), entry]);
  for (const s of sandboxes) add(s.pod.uid, `s:${s.id}:${s.state}`);
  for (const c of containers) add(c.pod.uid, `c:${c.id}:${c.state}`);
  return new Map([...byPod].map(([uid, entries]) => [uid, entries.sort().join(',')]));
}

async function relist(runtime: ContainerRuntime, handlers: ChangeHandlers, signal: AbortSignal, everyMs: number): Promise<void> {
  let before: Map<string, string> | undefined;
  while (!signal.aborted) {
    try {
      const now = await snapshot(runtime);
      if (before) {
        for (const [uid, states] of now) if (before.get(uid) !== states) handlers.changed(uid);
        for (const uid of before.keys()) if (!now.has(uid)) handlers.changed(uid);
      }
      before = now;
    } catch (error) {
      if (signal.aborted) return;
      handlers.failed?.(error);
      before = undefined;
    }
    await sleep(everyMs, signal);
  }
}
