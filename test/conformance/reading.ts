/** kubectl get: server-side tables of every kind, output formats, selectors, all namespaces, watches. */
import YAML from 'yaml';
import { tableRows } from '../kubectl/session';
import type { BerthUp } from './berth-up';
import { configMap, cronJob, job } from './manifests';

export function reading(up: () => BerthUp): void {
  const ns = 'conformance-read';
  const k = () => up().kubectl;
  const n = ['-n', ns];

  beforeAll(async () => {
    await k().ok(['create', 'namespace', ns]);
    const file = k().file('read.yaml', [job(up().image, 'answer'), cronJob(up().image, 'ticker'), configMap('red', { c: 'red' }, { colour: 'warm' }), configMap('blue', { c: 'blue' }, { colour: 'cold' })].join('---\n'));
    await k().ok(['apply', '-f', file, ...n]);
    await k().ok(['wait', '--for=condition=Complete', 'job/answer', ...n, '--timeout=120s']);
  });

  it('prints jobs, cron jobs, pods of a job, nodes and events with upstream columns', async () => {
    const jobs = tableRows(await k().ok(['get', 'jobs', ...n]));
    expect(jobs).toEqual([
      ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
      ['answer', 'Complete', '1/1', expect.stringMatching(/^\d+s$/), expect.any(String)],
    ]);
    const cronJobs = tableRows(await k().ok(['get', 'cronjobs', ...n]));
    expect(cronJobs).toEqual([
      ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
      ['ticker', '*/5 * * * *', '<none>', 'False', '0', '<none>', expect.any(String)],
    ]);
    const pods = tableRows(await k().ok(['get', 'pods', ...n, '-l', 'job-name=answer']));
    expect(pods[1].slice(1, 4)).toEqual(['0/1', 'Completed', '0']);
    expect(await k().ok(['logs', 'job/answer', ...n])).toBe('the answer is 42\n');
    const nodes = tableRows(await k().ok(['get', 'nodes']));
    expect(nodes[0]).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(nodes.find((r) => r[0] === up().node)?.slice(1, 3)).toEqual(['Ready', '<none>']);
    const events = tableRows(await k().ok(['get', 'events', ...n, '--field-selector', 'involvedObject.kind=Job']));
    expect(events[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(events.slice(1).map((r) => [r[2], r[3]])).toEqual(expect.arrayContaining([['SuccessfulCreate', 'job/answer'], ['Completed', 'job/answer']]));
  });

  it('prints objects as yaml, json, names and jsonpath', async () => {
    const yaml = YAML.parse(await k().ok(['get', 'cm', 'red', ...n, '-o', 'yaml']));
    expect(yaml).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'red', namespace: ns }, data: { c: 'red' } });
    const list = await k().json(['get', 'cm', ...n, '-l', 'colour']);
    expect(list.kind).toBe('List');
    expect(list.items.map((c: any) => c.metadata.name).sort()).toEqual(['blue', 'red']);
    expect(await k().ok(['get', 'cm', ...n, '-l', 'colour=cold', '-o', 'name'])).toBe('configmap/blue\n');
    expect(await k().ok(['get', 'cm', ...n, '-l', 'colour in (warm)', '-o', 'jsonpath={.items[*].data.c}'])).toBe('red');
  });

  it('selects with field selectors and lists across all namespaces', async () => {
    expect(await k().ok(['get', 'cm', ...n, '--field-selector', 'metadata.name=blue', '-o', 'name'])).toBe('configmap/blue\n');
    const succeeded = await k().ok(['get', 'pods', '-A', '--field-selector', `status.phase=Succeeded,metadata.namespace=${ns}`, '-o', 'name']);
    expect(succeeded.trim().split('\n')).toHaveLength(1);
    const all = tableRows(await k().ok(['get', 'cm', '-A', '-l', 'colour']));
    expect(all[0]).toEqual(['NAMESPACE', 'NAME', 'DATA', 'AGE']);
    expect(all.slice(1).map((r) => [r[0], r[1]])).toEqual([
      [ns, 'blue'],
      [ns, 'red'],
    ]);
    const onNode = await k().json(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${up().node}`]);
    expect(onNode.items.length).toBeGreaterThan(0);
  });

  it('watches a kind and one object by name, printing each change once', async () => {
    const all = k().background(['get', 'cm', ...n, '-l', 'colour', '-w', '--output-watch-events']);
    const one = k().background(['get', 'cm', 'red', ...n, '-w', '-o', 'jsonpath={.data.c}{"\\n"}']);
    try {
      await all.waitForLines(3);
      await k().ok(['patch', 'cm', 'red', ...n, '--type=merge', '-p', '{"data":{"c":"crimson"}}']);
      await k().ok(['apply', '-f', k().file('green.yaml', configMap('green', { c: 'green' }, { colour: 'cold' })), ...n]);
      await k().ok(['delete', 'cm', 'green', ...n]);
      const lines = await all.waitForLines(6);
      expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
        ['ADDED', 'blue'],
        ['ADDED', 'red'],
        ['MODIFIED', 'red'],
        ['ADDED', 'green'],
        ['DELETED', 'green'],
      ]);
      expect(await one.waitForLines(2)).toEqual(['red', 'crimson']);
    } finally {
      await all.stop();
      await one.stop();
    }
  });
}
