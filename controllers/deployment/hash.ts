/**
 * The pod-template-hash: what names a Deployment's ReplicaSets (`web-7d4b9c8f5d`) and labels
 * their pods. As upstream's controller.ComputeHash: FNV-1a (32 bits) of the template, then of the
 * collision count if there is one, the number in decimal with each digit mapped through
 * SafeEncodeString's alphabet. Upstream hashes Go's printed form of the template; berth hashes
 * its canonical JSON (keys sorted, empty values dropped), so the names look alike and stay
 * stable, but are not the same strings as a Kubernetes cluster would give.
 */
import type { PodTemplateSpec } from '../../src/api/types';
import { normalized } from './template';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Upstream's utilrand alphabet: no vowels, no 0, 1 or 3, so a hash never spells a word. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv32a(bytes: Uint8Array, hash = FNV_OFFSET): number {
  let h = hash;
  for (const byte of bytes) {
    h ^= byte;
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** Each character mapped to the safe alphabet by its code (upstream rand.SafeEncodeString). */
export function safeEncodeString(text: string): string {
  let out = '';
  for (const ch of text) out += SAFE_ALPHABET[ch.codePointAt(0)! % SAFE_ALPHABET.length];
  return out;
}

export function podTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = fnv32a(Buffer.from(JSON.stringify(normalized(template) ?? {}), 'utf8'));
  if (collisionCount !== undefined) {
    // Upstream writes 8 bytes: the count as a little-endian uint32, then four zero bytes.
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(collisionCount >>> 0, 0);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
