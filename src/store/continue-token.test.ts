import { BadRequest } from '../api/errors';
import { decodeContinue, encodeContinue } from './continue-token';

describe('continue tokens', () => {
  it('carry the revision and the next key through base64', () => {
    const token = encodeContinue({ revision: 42, start: '/registry/core/pods/default/web-1\u0000' });
    expect(decodeContinue(token, '/registry/core/pods/')).toEqual({ revision: 42, start: '/registry/core/pods/default/web-1\u0000' });
  });

  it('carry the count of items left, when the list has one', () => {
    const token = encodeContinue({ revision: 42, start: '/registry/a/x', left: 9500 });
    expect(decodeContinue(token, '/registry/a/')).toEqual({ revision: 42, start: '/registry/a/x', left: 9500 });
  });

  it.each([
    ['a negative count left', Buffer.from('{"v":1,"rv":1,"start":"/registry/a/x","left":-1}').toString('base64')],
    ['a count left that is no number', Buffer.from('{"v":1,"rv":1,"start":"/registry/a/x","left":"7"}').toString('base64')],

    ['not base64 JSON', '%%%'],
    ['another version', Buffer.from('{"v":2,"rv":1,"start":"/registry/a/x"}').toString('base64')],
    ['no revision', Buffer.from('{"v":1,"start":"/registry/a/x"}').toString('base64')],
    ['a negative revision', Buffer.from('{"v":1,"rv":-1,"start":"/registry/a/x"}').toString('base64')],
    ['a key outside the list', encodeContinue({ revision: 3, start: '/registry/b/x' })],
  ])('are refused with BadRequest when they hold %s', (_, token) => {
    expect(() => decodeContinue(token, '/registry/a/')).toThrow(BadRequest);
  });
});
