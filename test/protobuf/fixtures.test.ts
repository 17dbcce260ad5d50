/**
 * Fast checks on bodies captured from kubectl 1.32 (fixtures/*.hex): they decode to the objects
 * kubectl meant, and every truncated or corrupted variant is either decoded or refused with a
 * catalogue error (400 or 415) — never a crash of any other kind.
 */
import { ApiError, BadRequest } from '../../src/api/errors';
import { decodeProtobufBody } from '../../src/apiserver/protobuf';
import { fixtureNames, readFixture } from './fixtures';
import { kubectlCases } from './kubectl-cases';

const cases = kubectlCases.filter((c) => c.fixture !== undefined);

/** Decodes, and reports anything thrown that is not from the error catalogue as a failure. */
function outcome(body: Buffer): 'decoded' | ApiError {
  try {
    decodeProtobufBody(body);
    return 'decoded';
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw new Error(`decoding threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} for body ${body.toString('hex')}`);
  }
}

/** Where the object's own message lies: after `k8s\0`, the typeMeta field, and raw's tag and length. */
function rawBounds(body: Buffer): { start: number; end: number } {
  let at = 4 + 2 + body[5] + 1;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    length |= (body[at] & 0x7f) << shift;
    if ((body[at++] & 0x80) === 0) break;
  }
  return { start: at, end: at + length };
}

describe('captured kubectl bodies', () => {
  it('has a case for every fixture file', () => {
    expect(cases.map((c) => c.fixture).sort()).toEqual(fixtureNames());
  });

  it.each(cases.map((c) => [c.fixture!, c] as const))('%s decodes to the object kubectl meant', (fixture, c) => {
    expect(decodeProtobufBody(readFixture(fixture))).toEqual(c.object);
  });

  it.each(cases.map((c) => [c.fixture!] as const))('%s: every truncation inside the object is a BadRequest naming an offset', (fixture) => {
    const body = readFixture(fixture);
    const raw = rawBounds(body);
    for (let length = 0; length < body.length; length++) {
      const result = outcome(body.subarray(0, length));
      // A cut inside the magic or inside the object's message can never leave a whole body.
      if (length < 4 || (length > raw.start && length < raw.end)) {
        expect([length, result instanceof BadRequest]).toEqual([length, true]);
        if (length >= 4) expect((result as BadRequest).message).toMatch(/^malformed protobuf body: .* at offset \d+/);
      }
    }
  });

  it.each(cases.map((c) => [c.fixture!] as const))('%s: every single corrupted byte decodes or is refused, never crashes', (fixture) => {
    const body = readFixture(fixture);
    const refused = new Set<number>();
    for (let at = 0; at < body.length; at++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const corrupted = Buffer.from(body);
        corrupted[at] ^= mask;
        const result = outcome(corrupted);
        if (result !== 'decoded') refused.add(result.code);
      }
    }
    expect([...refused].every((code) => code === 400 || code === 415)).toBe(true);
    expect(refused.has(400)).toBe(true);
  });
});
