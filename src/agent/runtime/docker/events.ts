/**
 * The engine's container events (start, die, oom, destroy) for one node's containers, as the pod
 * uids they concern: how the agent learns at once that a container exited, instead of finding it
 * on its next periodic look (kubelet's event-based PLEG).
 */
import Docker from './dockerode';
import { jsonLines } from '../../../client/api-client';
import { labelKeys } from '../labels';
import { mapDockerError } from './docker-errors';

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
}

/** What happened to one container: its engine id, the action (start, die, oom, destroy), and when (engine clock, Unix seconds). */
export interface ContainerChange {
  containerId?: string;
  action?: string;
  time?: number;
}

const actions = ['start', 'die', 'oom', 'destroy'];

/**
 * Resolves when the engine ends the stream (it stopped) or `signal` aborts; rejects if the stream
 * cannot start. With `since` (engine clock, Unix seconds) the engine first replays what happened
 * from then on, so nothing is lost between two streams (an event may come twice).
 */
export async function watchContainerEvents(
  docker: Docker,
  labels: string[],
  onChange: (podUid: string, change: ContainerChange) => void,
  signal: AbortSignal,
  since?: number,
): Promise<void> {
  let stream: NodeJS.ReadableStream;
  const filters = { type: ['container' as const], event: actions, label: labels };
  try {
    stream = (await docker.getEvents({ filters, ...(since === undefined ? {} : { since }), abortSignal: signal })) as NodeJS.ReadableStream;
  } catch (error) {
    if (signal.aborted) return;
    throw mapDockerError(error, 'watch container events');
  }
  const onAbort = () => (stream as unknown as { destroy(): void }).destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const line of jsonLines(stream as AsyncIterable<Buffer>)) {
      let event: DockerEvent;
      try {
        event = JSON.parse(line) as DockerEvent;
      } catch {
        continue;
      }
      const uid = event.Actor?.Attributes?.[labelKeys.podUid];
      if (event.Type === 'container' && uid) onChange(uid, { containerId: event.Actor?.ID, action: event.Action, time: event.time });
    }
  } catch {
    // A broken stream ends like a closed one: the caller re-lists and watches again.
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
