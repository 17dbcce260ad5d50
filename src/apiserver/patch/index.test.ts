import { BadRequest, UnsupportedMediaType } from '../../api/errors';
import { decodePatchBody, patchObject, patchTypeFor } from './index';

describe('patch entry points', () => {
  it.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/merge-patch+json; charset=utf-8', 'merge'],
  ])('reads %s as a %s patch', (contentType, type) => {
    expect(patchTypeFor(contentType)).toBe(type);
  });

  it('answers 415 with the accepted types for anything else, and for strategic merge patch where refused', () => {
    expect(() => patchTypeFor('application/json')).toThrow(UnsupportedMediaType);
    expect(() => patchTypeFor('application/json')).toThrow(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json',
    );
    expect(() => patchTypeFor('application/strategic-merge-patch+json', { strategic: false })).toThrow(
      'accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  it('decodes apply bodies as YAML or JSON and the others as JSON', () => {
    expect(decodePatchBody('apply', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    expect(decodePatchBody('apply', '{"apiVersion":"v1"}')).toEqual({ apiVersion: 'v1' });
    expect(decodePatchBody('merge', '{"spec":{"replicas":3}}')).toEqual({ spec: { replicas: 3 } });
    expect(() => decodePatchBody('merge', 'spec: {}')).toThrow(BadRequest);
    expect(() => decodePatchBody('json', '')).toThrow('the PATCH request has an empty body');
  });

  it('patches an object with each non-apply type and insists the result is still an object', () => {
    const live = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } };
    expect(patchObject(live, 'merge', { data: { y: '2' } }).data).toEqual({ x: '1', y: '2' });
    expect(patchObject(live, 'json', [{ op: 'remove', path: '/data/x' }]).data).toEqual({});
    expect(patchObject(live, 'strategic', { data: { x: null } }).data).toEqual({});
    expect(() => patchObject(live, 'json', [{ op: 'replace', path: '', value: [] }])).toThrow('the patched object must be a JSON object with metadata');
    expect(() => patchObject(live, 'merge', ['x'])).toThrow('a merge patch must be a JSON object');
  });
});
