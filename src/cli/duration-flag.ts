import { CommandError, ExitCode } from './exit';

/** Parses durations as flags take them: `15s`, `500ms`, `2m`, `1h30m`, or plain seconds `15`. */
export function parseDurationFlag(text: string, flag: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = t;
  const part = /^(\d+(?:\.\d+)?)(ms|s|m|h)/;
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (!m) throw new CommandError(`${flag} wants a duration such as 15s, 500ms or 2m, not "${text}"`, ExitCode.badInput);
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}
