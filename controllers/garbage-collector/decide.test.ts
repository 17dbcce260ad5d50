import type { Obj, OwnerReference } from '../../src/api/object';
import { blockingDependents, dependentAction, OwnerState, withoutFinalizer, withReferences } from './decide';

const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: false, blockOwnerDeletion: block });

function obj(refs: OwnerReference[], finalizers?: string[]): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'p', ownerReferences: refs, finalizers } };
}

const states = (entries: Record<string, OwnerState>) => new Map(Object.entries(entries));

describe('what becomes of an object with owners', () => {
  it.each<[string, Obj, Record<string, OwnerState>, boolean, boolean, ReturnType<typeof dependentAction>]>([
    ['one solid owner: nothing', obj([ref('a')]), { a: 'solid' }, false, false, { do: 'nothing' }],
    ['its only owner gone: deleted in the background', obj([ref('a')]), { a: 'dangling' }, false, false, { do: 'delete', policy: 'Background', unblock: [] }],
    ['a solid and a gone owner: the reference to the gone one dropped', obj([ref('a'), ref('b')]), { a: 'solid', b: 'dangling' }, false, false, { do: 'removeReferences', uids: ['b'] }],
    ['a solid and a waiting owner: the reference to the waiting one dropped', obj([ref('a'), ref('b')]), { a: 'solid', b: 'waiting' }, false, false, { do: 'removeReferences', uids: ['b'] }],
    ['its owner waiting, no dependents of its own: deleted in the background', obj([ref('a', true)]), { a: 'waiting' }, false, false, { do: 'delete', policy: 'Background', unblock: [] }],
    ['its owner waiting and dependents of its own: deleted in the foreground', obj([ref('a', true)]), { a: 'waiting' }, true, false, { do: 'delete', policy: 'Foreground', unblock: [] }],
    ['... and a dependent itself waiting: the blocking reference unblocked first', obj([ref('a', true)]), { a: 'waiting' }, true, true, { do: 'delete', policy: 'Foreground', unblock: ['a'] }],
    ['owners gone, an orphan finalizer already on it: honoured', obj([ref('a')], ['orphan']), { a: 'dangling' }, false, false, { do: 'delete', policy: 'Orphan', unblock: [] }],
    ['owners gone, a foreground finalizer already on it: honoured', obj([ref('a')], ['foregroundDeletion']), { a: 'dangling' }, false, false, { do: 'delete', policy: 'Foreground', unblock: [] }],
    ['no owners at all: nothing', obj([]), {}, true, false, { do: 'nothing' }],
  ])('%s', (_what, o, owners, hasDependents, aDependentIsWaiting, expected) => {
    expect(dependentAction(o, states(owners), hasDependents, aDependentIsWaiting)).toEqual(expected);
  });
});

describe('foreground deletion', () => {
  it('is held back only by dependents whose reference to the owner blocks', () => {
    const dependents = [{ object: obj([ref('owner', true)]) }, { object: obj([ref('owner', false)]) }, { object: obj([ref('other', true)]) }];
    expect(blockingDependents('owner', dependents)).toEqual([dependents[0]]);
  });
});

describe('edits', () => {
  it('drops references, unblocks others, and removes the field when none is left', () => {
    const o = obj([ref('a', true), ref('b', true)]);
    expect(withReferences(o, ['a'], ['b']).metadata.ownerReferences).toEqual([{ ...ref('b'), blockOwnerDeletion: false }]);
    expect('ownerReferences' in withReferences(o, ['a', 'b']).metadata).toBe(false);
    expect(o.metadata.ownerReferences).toHaveLength(2); // the cached object is untouched
  });

  it('removes one finalizer, and the field with the last', () => {
    expect(withoutFinalizer(obj([], ['orphan', 'x']), 'orphan').metadata.finalizers).toEqual(['x']);
    expect('finalizers' in withoutFinalizer(obj([], ['orphan']), 'orphan').metadata).toBe(false);
  });
});
