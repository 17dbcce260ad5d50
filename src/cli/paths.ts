import os from 'node:os';
import path from 'node:path';
import { CommandError, ExitCode } from './exit';

/** `~/.berth`, or BERTH_DATA_DIR. */
export function defaultDataDir(): string {
  return process.env.BERTH_DATA_DIR ?? path.join(os.homedir(), '.berth');
}

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** `127.0.0.1:6443`, `:6443` (all addresses) or `6443`. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) > 65535) throw new CommandError(`--listen wants host:port, e.g. 127.0.0.1:6443, not "${text}"`, ExitCode.badInput);
  return { host: m[1] === undefined || m[1] === '' ? '0.0.0.0' : m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}
