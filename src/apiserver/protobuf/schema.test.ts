import { decodableKinds, messageForKind, messages } from './kinds';
import { compileTables } from './schema';

describe('message tables', () => {
  it('compile, with every referenced message defined', () => {
    expect(messages.size).toBeGreaterThan(100);
    expect(messages.get('core.PodSpec')?.byNumber.get(2)?.name).toBe('containers');
  });

  it('have a table for every decodable kind', () => {
    for (const kind of decodableKinds) {
      const slash = kind.lastIndexOf('/');
      expect([kind, messageForKind(kind.slice(0, slash), kind.slice(slash + 1))?.name]).toEqual([kind, expect.any(String)]);
    }
  });

  it.each([
    [{ p: { M: ['string name 1'] } }, 'protobuf table p.M: cannot read field "string name 1"'],
    [{ p: { M: ['string a = 1', 'string b = 1'] } }, 'protobuf table p.M: field number 1 used twice'],
    [{ p: { M: ['Missing a = 1'] } }, 'protobuf table p.M.a: unknown message p.Missing'],
    [{ p: { M: ['inline string a = 1'] } }, 'protobuf table p.M.a: only a message can be inline'],
  ])('reject a mistake in a table at start-up: %j', (tables, message) => {
    expect(() => compileTables(tables)).toThrow(message);
  });
});
