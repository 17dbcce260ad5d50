import { Conflict, NotFound } from '../../src/api/errors';
import { fromLabelSelector } from '../../src/api/selector';
import type { Pod } from '../../src/api/types';
import { checkOwnerForAdoption, claimDecision, claimObjects, JsonPatchOperation } from './claim';
import { iso, pod, replicaSet, T0 } from './fixtures';

const rs = replicaSet('web', 2, { labels: { app: 'web' } });
const other = replicaSet('other', 1, { labels: { app: 'web' } });
const selector = fromLabelSelector(rs.spec!.selector);
const deleting = { ...rs, metadata: { ...rs.metadata, deletionTimestamp: iso(T0) } };

describe('claiming', () => {
  it.each([
    ['keeps a pod it controls that matches', rs, pod('p', { owner: rs }), 'keep'],
    ['releases a pod it controls that stopped matching', rs, pod('p', { owner: rs, labels: { app: 'db' } }), 'release'],
    ['releases nothing while being deleted', deleting, pod('p', { owner: rs, labels: { app: 'db' } }), 'ignore'],
    ['adopts a matching orphan', rs, pod('p'), 'adopt'],
    ['adopts nothing while being deleted', deleting, pod('p'), 'ignore'],
    ['leaves an orphan that does not match', rs, pod('p', { labels: { app: 'db' } }), 'ignore'],
    ['leaves an orphan that is being deleted', rs, pod('p', { deleting: true }), 'ignore'],
    ['never touches a pod another controller controls', rs, pod('p', { owner: other }), 'ignore'],
    ['leaves an orphan in another namespace', rs, { ...pod('p'), metadata: { ...pod('p').metadata, namespace: 'elsewhere' } }, 'ignore'],
  ] as const)('%s', (_name, owner, target, decision) => {
    expect(claimDecision(owner, selector, target)).toBe(decision);
  });

  it('adopts with a patch that tests the uid first and adds a controller reference', async () => {
    const patches: JsonPatchOperation[][] = [];
    const claimed = await claimObjects([pod('orphan'), pod('mine', { owner: rs })], {
      owner: rs,
      selector,
      canAdopt: async () => undefined,
      patch: async (obj, operations) => {
        patches.push(operations);
        return obj;
      },
    });
    expect(claimed.map((p) => p.metadata.name)).toEqual(['orphan', 'mine']);
    expect(patches).toEqual([
      [
        { op: 'test', path: '/metadata/uid', value: 'uid-orphan' },
        { op: 'add', path: '/metadata/ownerReferences', value: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }] },
      ],
    ]);
  });

  it('releases with a patch that removes exactly its reference', async () => {
    const shared = pod('p', { labels: { app: 'db' } });
    shared.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'uid-x' }, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'uid-web', controller: true }];
    const patches: JsonPatchOperation[][] = [];
    const claimed = await claimObjects([shared], { owner: rs, selector, canAdopt: async () => undefined, patch: async (obj, ops) => (patches.push(ops), obj) });
    expect(claimed).toEqual([]);
    expect(patches[0]).toEqual([
      { op: 'test', path: '/metadata/uid', value: 'uid-p' },
      { op: 'test', path: '/metadata/ownerReferences/1/uid', value: 'uid-web' },
      { op: 'remove', path: '/metadata/ownerReferences/1' },
    ]);
  });

  it('checks the owner once before the first adoption, and adopts nothing when the check fails', async () => {
    const canAdopt = jest.fn(async () => {
      throw new Conflict('gone');
    });
    const patch = jest.fn(async (obj: Pod) => obj);
    await expect(claimObjects([pod('a'), pod('b'), pod('mine', { owner: rs })], { owner: rs, selector, canAdopt, patch })).rejects.toThrow('gone');
    expect(canAdopt).toHaveBeenCalledTimes(1);
    expect(patch).not.toHaveBeenCalled();
  });

  it('skips objects that vanished while being claimed', async () => {
    const claimed = await claimObjects([pod('a'), pod('b')], {
      owner: rs,
      selector,
      canAdopt: async () => undefined,
      patch: async (obj) => {
        if (obj.metadata.name === 'a') throw new NotFound('pods "a" not found');
        return obj;
      },
    });
    expect(claimed.map((p) => p.metadata.name)).toEqual(['b']);
  });

  it('refuses adoption for an owner that was replaced or is being deleted', () => {
    expect(() => checkOwnerForAdoption(rs, undefined)).toThrow('ReplicaSet default/web is gone (wanted uid uid-web, found none): not adopting');
    expect(() => checkOwnerForAdoption(rs, { ...rs, metadata: { ...rs.metadata, uid: 'new' } })).toThrow(Conflict);
    expect(() => checkOwnerForAdoption(rs, deleting)).toThrow('is being deleted');
    expect(() => checkOwnerForAdoption(rs, rs)).not.toThrow();
  });
});
