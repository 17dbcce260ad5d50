/**
 * Live progress of `berth apply --wait`: a line per object with its state, what apply did, and
 * its progress, and under it what holds it back (pod issues, the last log lines of a crashing
 * container). At a terminal the block is redrawn in place (ANSI: cursor up, clear line) with a
 * spinner and a progress bar; elsewhere (a pipe, a CI log) each change is appended once.
 */
import { describeIssue, PodIssue } from './pod-issues';
import type { WaitProgress } from './waiter';

export interface ProgressRow {
  /** `deployment.apps/web`. */
  name: string;
  /** created, configured, unchanged. */
  action: string;
  progress: WaitProgress;
}

const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const colours = { green: '\x1b[32m', red: '\x1b[31m', yellow: '\x1b[33m', dim: '\x1b[2m', reset: '\x1b[0m' };

/** Issues of several pods that say the same thing, as one line each. */
export function issueLines(issues: PodIssue[], max = 3): string[] {
  const groups = new Map<string, PodIssue[]>();
  for (const issue of issues) {
    const key = `${issue.reason}\u0000${issue.kind === 'crash' ? issue.lastExit : issue.message}`;
    groups.set(key, [...(groups.get(key) ?? []), issue]);
  }
  const lines = [...groups.values()].map((group) => {
    const more = group.length > 1 ? ` (and ${group.length - 1} more pod${group.length > 2 ? 's' : ''})` : '';
    return describeIssue(group[0]).replace(/^([^:]+):/, `$1${more}:`);
  });
  return lines.length > max ? [...lines.slice(0, max), `... ${lines.length - max} more`] : lines;
}

export function progressBar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : width;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

function stateWord(p: WaitProgress): string {
  switch (p.state) {
    case 'ready':
      return 'ready';
    case 'failed':
      return 'failed';
    case 'unschedulable':
      return 'unschedulable';
    case 'timeout':
      return 'timed out';
    default:
      return 'waiting';
  }
}

/** The lines under an object's main line: why it failed, pod issues, crash logs. */
function detailLines(p: WaitProgress): string[] {
  const lines: string[] = [];
  if (p.reason && p.reason !== p.summary) lines.push(p.reason);
  if (p.state !== 'ready') lines.push(...issueLines(p.issues));
  if (p.logs && p.state !== 'ready') {
    lines.push(`last log lines of ${p.logs.pod} (${p.logs.container}):`);
    lines.push(...p.logs.lines.map((l) => `  | ${l}`));
  }
  return lines;
}

export class ProgressView {
  private frame = 0;
  private drawn = 0;
  /** Plain mode: each object's last state line, and the detail lines printed already. */
  private readonly lastLine = new Map<string, string>();
  private readonly printed = new Map<string, Set<string>>();

  constructor(
    private readonly out: NodeJS.WritableStream & { columns?: number },
    private readonly tty: boolean,
  ) {}

  render(rows: ProgressRow[], final = false): void {
    if (this.tty) this.redraw(rows, final);
    else this.append(rows);
  }

  private redraw(rows: ProgressRow[], final: boolean): void {
    this.frame = (this.frame + 1) % spinner.length;
    // A terminal that reports no size (a pty made by `script`, some CI runners) gets a generous one.
    const width = this.out.columns && this.out.columns > 20 ? this.out.columns - 1 : 120;
    const nameWidth = Math.min(48, Math.max(...rows.map((r) => r.name.length)));
    const lines: string[] = [];
    for (const row of rows) {
      const p = row.progress;
      const icon =
        p.state === 'ready'
          ? `${colours.green}✓${colours.reset}`
          : p.state === 'waiting'
            ? final
              ? '-'
              : spinner[this.frame]
            : p.state === 'unschedulable'
              ? `${colours.yellow}!${colours.reset}`
              : `${colours.red}✗${colours.reset}`;
      const bar = p.progress && p.state === 'waiting' ? ` ${progressBar(p.progress.done, p.progress.total)} ${p.progress.done}/${p.progress.total}` : '';
      lines.push(`${icon} ${fit(`${row.name.padEnd(nameWidth)}  ${row.action.padEnd(10)}  ${p.summary}`, width - 2 - visibleLength(bar))}${bar}`);
      for (const detail of detailLines(p)) lines.push(`${colours.dim}    ${fit(detail, width - 4)}${colours.reset}`);
    }
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    text += lines.map((l) => `\x1b[2K${l}\n`).join('');
    text += '\x1b[J';
    this.out.write(text);
    this.drawn = lines.length;
  }

  private append(rows: ProgressRow[]): void {
    for (const row of rows) {
      const p = row.progress;
      let seen = this.printed.get(row.name);
      if (!seen) this.printed.set(row.name, (seen = new Set()));
      const main = `${row.name}: ${stateWord(p)}: ${p.summary}`;
      if (this.lastLine.get(row.name) !== main) {
        this.lastLine.set(row.name, main);
        this.out.write(`${main}\n`);
      }
      for (const line of detailLines(p).map((d) => `${row.name}:   ${d}`)) {
        if (seen.has(line)) continue;
        seen.add(line);
        this.out.write(`${line}\n`);
      }
    }
  }
}

const visibleLength = (s: string): number => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').length;

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}
