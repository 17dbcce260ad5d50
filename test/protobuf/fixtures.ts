import fs from 'node:fs';
import path from 'node:path';

const directory = path.join(__dirname, 'fixtures');

/** A body captured from kubectl, kept as hex; lines starting with `#` say how it was captured. */
export function readFixture(name: string): Buffer {
  const text = fs.readFileSync(path.join(directory, `${name}.hex`), 'utf8');
  const hex = text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

export function fixtureNames(): string[] {
  return fs
    .readdirSync(directory)
    .filter((f) => f.endsWith('.hex'))
    .map((f) => f.slice(0, -'.hex'.length))
    .sort();
}
