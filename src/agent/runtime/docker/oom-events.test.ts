/**
 * A container's OOM as the engine's `oom` event tells it: Docker 20.10 loses State.OOMKilled when
 * the event comes after the exit, so the runtime takes the event as well (a small fake engine).
 */
import { PassThrough } from 'node:stream';
import { labelKeys } from '../labels';
import { DockerRuntime } from './docker-runtime';

const labels = { [labelKeys.managed]: 'true', [labelKeys.podUid]: 'uid-1', [labelKeys.role]: 'app', [labelKeys.containerName]: 'app' };

function exitedContainer(oomKilled: boolean) {
  return {
    Id: 'c1',
    Image: 'sha256:image',
    Created: '2026-12-07T08:00:00Z',
    Config: { Labels: labels, Image: 'busybox' },
    State: { Status: 'exited', Running: false, Paused: false, Restarting: false, ExitCode: 137, OOMKilled: oomKilled, Error: '', StartedAt: '2026-12-07T08:00:01Z', FinishedAt: '2026-12-07T08:00:02Z' },
  };
}

it("calls an exited container OOMKilled once the engine's oom event arrives, and re-reads it", async () => {
  const events = new PassThrough();
  let inspections = 0;
  const docker = {
    getContainer: () => ({ inspect: async () => (inspections++, exitedContainer(false)) }),
    getEvents: async () => events,
  };
  const runtime = new DockerRuntime({ node: 'n1', docker: docker as never });
  const changed: string[] = [];
  const abort = new AbortController();
  const watching = runtime.watchChanges((uid) => changed.push(uid), abort.signal);

  expect((await runtime.inspectContainer('c1')).oomKilled).toBe(false);
  expect((await runtime.inspectContainer('c1')).oomKilled).toBe(false);
  expect(inspections).toBe(1); // an exited container is inspected once

  events.write(`${JSON.stringify({ Type: 'container', Action: 'oom', Actor: { ID: 'c1', Attributes: { [labelKeys.podUid]: 'uid-1' } } })}\n`);
  for (let i = 0; i < 50 && changed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(changed).toEqual(['uid-1']);
  const after = await runtime.inspectContainer('c1');
  expect(inspections).toBe(2);
  expect(after).toMatchObject({ state: 'exited', exitCode: 137, oomKilled: true });

  abort.abort();
  await watching;
});

it('starts each new event stream at the time of the last event heard, so a break loses nothing', async () => {
  const asked: unknown[] = [];
  let stream = new PassThrough();
  const docker = {
    getEvents: async (options: { since?: number }) => (asked.push(options.since), stream),
  };
  const runtime = new DockerRuntime({ node: 'n1', docker: docker as never });
  const abort = new AbortController();
  const first = runtime.watchChanges(() => undefined, abort.signal);
  await new Promise((r) => setImmediate(r));
  stream.end(`${JSON.stringify({ Type: 'container', Action: 'die', time: 1_780_000_123, Actor: { ID: 'c1', Attributes: { [labelKeys.podUid]: 'uid-1' } } })}\n`);
  await first;
  stream = new PassThrough();
  const second = runtime.watchChanges(() => undefined, abort.signal);
  await new Promise((r) => setImmediate(r));
  abort.abort();
  await second;
  expect(asked).toEqual([undefined, 1_780_000_123]);
});
