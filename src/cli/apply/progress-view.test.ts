import { PassThrough } from 'node:stream';
import { issueLines, progressBar, ProgressRow, ProgressView } from './progress-view';

function capture(): { stream: PassThrough & { columns?: number }; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c) => (text += c));
  return { stream, text: () => text };
}

const row = (summary: string, state: ProgressRow['progress']['state'] = 'waiting', extra: Partial<ProgressRow['progress']> = {}): ProgressRow => ({
  name: 'deployment.apps/web',
  action: 'created',
  progress: { state, summary, issues: [], ...extra },
});

describe('progress view', () => {
  it('appends each change once when not at a terminal', () => {
    const out = capture();
    const view = new ProgressView(out.stream, false);
    const crash = { kind: 'crash' as const, pod: 'web-1', container: 'app', reason: 'CrashLoopBackOff', restarts: 3, lastExit: 'exit code 1' };
    view.render([row('rollout 0/2 updated, 0/2 available')]);
    view.render([row('rollout 0/2 updated, 0/2 available')]);
    view.render([row('rollout 1/2 updated, 0/2 available', 'waiting', { issues: [crash], logs: { pod: 'web-1', container: 'app', lines: ['boom'] } })]);
    view.render([row('rollout 1/2 updated, 0/2 available', 'waiting', { issues: [crash], logs: { pod: 'web-1', container: 'app', lines: ['boom'] } })]);
    view.render([row('rolled out, 2/2 available', 'ready')]);
    expect(out.text().split('\n')).toEqual([
      'deployment.apps/web: waiting: rollout 0/2 updated, 0/2 available',
      'deployment.apps/web: waiting: rollout 1/2 updated, 0/2 available',
      'deployment.apps/web:   web-1 (app): CrashLoopBackOff: restarted 3 times, last exit code 1',
      'deployment.apps/web:   last log lines of web-1 (app):',
      'deployment.apps/web:     | boom',
      'deployment.apps/web: ready: rolled out, 2/2 available',
      '',
    ]);
  });

  it('redraws the block in place at a terminal, with a progress bar', () => {
    const out = capture();
    out.stream.columns = 120;
    const view = new ProgressView(out.stream, true);
    view.render([row('rollout 1/2 updated', 'waiting', { progress: { done: 1, total: 2 } })]);
    view.render([row('rolled out', 'ready')], true);
    const text = out.text();
    expect(text).toContain('[██████████░░░░░░░░░░] 1/2');
    // The second frame moves up over the first (one line) before drawing.
    expect(text).toContain('\x1b[1A\x1b[2K');
    expect(text).toContain('✓');
  });

  it('folds the same issue of several pods into one line', () => {
    const issue = (pod: string) => ({ kind: 'image' as const, pod, reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope:1"' });
    expect(issueLines([issue('a'), issue('b'), issue('c')])).toEqual(['a (and 2 more pods): ImagePullBackOff: Back-off pulling image "nope:1"']);
    expect(progressBar(0, 0, 4)).toBe('[████]');
  });
});
