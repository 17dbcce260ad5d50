import type { Client } from '../../src/client/client';
import { EventRecorder } from '../../src/client/event-recorder';
import { kinds } from '../../src/client/kinds';
import { controllerRegistry } from '../../src/client/metrics';
import type { TestApiServer } from '../support/api-server';
import { clientFor, configMap, startServer } from './support';

let server: TestApiServer;
let client: Client;

beforeAll(async () => {
  server = await startServer();
  client = clientFor(server.url);
});
afterAll(async () => {
  client.close();
  await server.stop();
});

async function eventsAbout(name: string) {
  const list = await client.resource(kinds.Event, 'default').list({ fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

describe('event recorder', () => {
  it('writes one Event per (object, reason, message) and counts repeats on it', async () => {
    const subject = await client.resource(kinds.ConfigMap, 'default').create(configMap('subject'));
    let now = Date.parse('2030-01-01T00:00:00Z');
    const recorder = new EventRecorder(client, { component: 'berth/test', host: 'host-1', now: () => now });
    for (let i = 0; i < 5; i++) {
      recorder.event(subject, 'Warning', 'FailedCreate', 'quota exceeded');
      now += 1000;
    }
    recorder.event(subject, 'Normal', 'Synced', 'all good');
    await recorder.flush();

    const events = await eventsAbout('subject');
    expect(events).toHaveLength(2);
    const repeated = events.find((e) => e.reason === 'FailedCreate')!;
    expect(repeated).toMatchObject({
      type: 'Warning',
      message: 'quota exceeded',
      count: 5,
      firstTimestamp: '2030-01-01T00:00:00Z',
      lastTimestamp: '2030-01-01T00:00:04Z',
      source: { component: 'berth/test', host: 'host-1' },
      reportingComponent: 'berth/test',
      involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'subject', namespace: 'default', uid: subject.metadata.uid },
    });
    expect(events.find((e) => e.reason === 'Synced')!.count).toBe(1);
  });

  it('names events so that a list shows those of one millisecond in the order they were recorded', async () => {
    const subject = await client.resource(kinds.ConfigMap, 'default').create(configMap('ordered'));
    const recorder = new EventRecorder(client, { component: 'berth/test', now: () => Date.parse('2030-01-01T00:00:00Z') });
    const reasons = ['Scheduled', 'Pulled', 'Created', 'Started', 'Killing', 'BackOff'];
    for (const reason of reasons) recorder.event(subject, 'Normal', reason, reason.toLowerCase());
    await recorder.flush();
    const events = await eventsAbout('ordered');
    expect(events.map((e) => e.reason)).toEqual(reasons);
    expect(events.every((e) => /^ordered\.[0-9a-f]+$/.test(e.metadata.name!))).toBe(true);
  });

  it('starts a new Event when the one it counted on was deleted', async () => {
    const subject = await client.resource(kinds.ConfigMap, 'default').create(configMap('recreated'));
    const recorder = new EventRecorder(client, { component: 'berth/test' });
    recorder.event(subject, 'Normal', 'Tick', 'once');
    await recorder.flush();
    const [first] = await eventsAbout('recreated');
    await client.resource(kinds.Event, 'default').delete(first.metadata.name!);
    recorder.event(subject, 'Normal', 'Tick', 'once');
    await recorder.flush();
    const after = await eventsAbout('recreated');
    expect(after).toHaveLength(1);
    expect(after[0].metadata.name).not.toBe(first.metadata.name);
    expect(after[0].count).toBe(1);
  });

  it('drops what a hot loop records past the per-object burst', async () => {
    const subject = await client.resource(kinds.ConfigMap, 'default').create(configMap('hot'));
    const recorder = new EventRecorder(client, { component: 'berth/hot', burst: 5 });
    for (let i = 0; i < 200; i++) recorder.event(subject, 'Warning', 'Crash', `attempt ${i}`);
    await recorder.flush();
    const events = await eventsAbout('hot');
    expect(events).toHaveLength(5);
    const dropped = await controllerRegistry.getSingleMetricAsString('berth_events_dropped_total');
    expect(dropped).toContain('berth_events_dropped_total{component="berth/hot",reason="rate_limit"} 195');
  });

  it('writes one event at a time and drops what comes past a full queue, as client-go does', async () => {
    const subject = await client.resource(kinds.ConfigMap, 'default').create(configMap('burst'));
    const recorder = new EventRecorder(client, { component: 'berth/burst', queueSize: 3 });
    // The first goes straight to its write; three wait in the queue; the other six find it full.
    for (let i = 0; i < 10; i++) recorder.event(subject, 'Normal', 'Step', `step ${i}`);
    await recorder.flush();
    const events = await eventsAbout('burst');
    expect(events.map((e) => e.message).sort()).toEqual(['step 0', 'step 1', 'step 2', 'step 3']);
    const dropped = await controllerRegistry.getSingleMetricAsString('berth_events_dropped_total');
    expect(dropped).toContain('berth_events_dropped_total{component="berth/burst",reason="queue_full"} 6');
    // Once it has drained, the queue takes events again.
    recorder.event(subject, 'Normal', 'Step', 'after');
    await recorder.flush();
    expect((await eventsAbout('burst')).map((e) => e.message)).toContain('after');
  });
});
