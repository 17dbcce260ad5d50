import { applySetId, applySetLabels, deriveSetName, parentObject } from './apply-set';

describe('apply sets', () => {
  it('computes the id as kubectl does: base64url(sha256(name.namespace.kind.group)) in applyset-…-v1', () => {
    // sha256("web.kube-system.ConfigMap.") in base64url, without padding.
    const { createHash } = jest.requireActual('node:crypto') as typeof import('node:crypto');
    const expected = createHash('sha256').update('web.kube-system.ConfigMap.').digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(applySetId('web', 'kube-system')).toBe(`applyset-${expected}-v1`);
    expect(applySetId('web', 'kube-system')).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    expect(applySetId('web', 'team')).not.toBe(applySetId('web', 'kube-system'));
  });

  it.each([
    [['deploy/'], 'deploy'],
    [['./manifests/app.yaml'], 'app'],
    [['base', 'overlays/Prod_EU'], 'base-prod-eu'],
    [['/srv/git/site.json'], 'site'],
  ])('derives the set name of %j as %s', (files, name) => {
    expect(deriveSetName(files)).toBe(name);
  });

  it('needs a name for stdin', () => {
    expect(() => deriveSetName(['-'])).toThrow(/--applyset/);
  });

  it('records members, group-kinds and other namespaces on the parent', () => {
    const ref = { name: 'app', namespace: 'kube-system', id: applySetId('app', 'kube-system'), derived: true };
    const parent = parentObject(ref, {
      members: [
        { group: 'apps', kind: 'Deployment', namespace: 'team', name: 'web', apiVersion: 'apps/v1', uid: 'u1' },
        { group: '', kind: 'Namespace', name: 'team', apiVersion: 'v1', uid: 'u2' },
        { group: '', kind: 'ConfigMap', namespace: 'kube-system', name: 'c', apiVersion: 'v1', uid: 'u3' },
      ],
      groupKinds: ['Secret'],
      sources: ['app'],
    });
    expect(parent.metadata.labels).toEqual({ [applySetLabels.id]: ref.id });
    expect(parent.metadata.annotations).toEqual({
      'applyset.kubernetes.io/tooling': expect.stringMatching(/^berth\/v\d+\.\d+\.\d+/),
      'applyset.kubernetes.io/contains-group-kinds': 'ConfigMap,Deployment.apps,Namespace,Secret',
      'applyset.kubernetes.io/additional-namespaces': 'team',
      'berth.dev/applyset-sources': 'app',
    });
    const members = JSON.parse((parent.data as Record<string, string>).members);
    expect(members.map((m: { name: string; uid: string }) => `${m.name}:${m.uid}`)).toEqual(['c:u3', 'team:u2', 'web:u1']);
  });
});
