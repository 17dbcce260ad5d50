/** A user CustomResourceDefinition through kubectl: get crd, custom objects with their printer columns. */
import { tableRows } from '../kubectl/session';
import type { BerthUp } from './berth-up';
import { crontab, crontabDefinition } from './manifests';

export function customResources(up: () => BerthUp): void {
  const ns = 'conformance-crd';
  const k = () => up().kubectl;
  const n = ['-n', ns];

  it('serves a new CRD at once, lists it, and prints its objects with the printer columns', async () => {
    await k().ok(['create', 'namespace', ns]);
    expect(await k().ok(['apply', '-f', k().file('crd.yaml', crontabDefinition)])).toBe('customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created\n');
    await k().ok(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=30s']);
    const crds = tableRows(await k().ok(['get', 'crd']));
    expect(crds[0]).toEqual(['NAME', 'CREATED AT']);
    expect(crds.map((r) => r[0])).toContain('crontabs.stable.example.com');
    await k().ok(['apply', '-f', k().file('tabs.yaml', [crontab('nightly', '0 3 * * *', 1), crontab('hourly', '0 * * * *', 3)].join('---\n')), ...n]);
    const rows = tableRows(await k().ok(['get', 'ct', ...n]));
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['NAME', 'SPEC', 'REPLICAS'],
      ['hourly', '0 * * * *', '3'],
      ['nightly', '0 3 * * *', '1'],
    ]);
    expect(rows[0][3]).toBe('AGE');
  });
}
