import v8 from 'node:v8';
import { giveBackMemoryWhenIdle } from './idle-memory';

describe('giveBackMemoryWhenIdle', () => {
  afterEach(() => jest.useRealTimers());

  /** Runs the sampler over a script of loop utilizations, one per second; returns the trims done. */
  async function run(shares: number[], slack = 64 * 2 ** 20): Promise<number> {
    jest.useFakeTimers();
    const start = Date.now();
    const idle = giveBackMemoryWhenIdle({
      // The share of the second that just ended (the sampler also reads it when a trim ends).
      utilization: () => shares[Math.ceil((Date.now() - start) / 1000) - 1] ?? 0,
      heap: () => ({ committed: 100 * 2 ** 20 + slack, used: 100 * 2 ** 20 }),
      trim: () => Promise.resolve(),
    });
    for (let i = 0; i < shares.length; i++) await jest.advanceTimersByTimeAsync(1000);
    idle.stop();
    return idle.trims;
  }

  it('trims once the loop is quiet for three samples after a busy spell', async () => {
    expect(await run([0.9, 0.9, 0.01, 0.01])).toBe(0);
    expect(await run([0.9, 0.9, 0.01, 0.01, 0.01])).toBe(1);
  });

  it('does not trim a process that was never busy, nor twice in one quiet spell', async () => {
    expect(await run([0.01, 0.01, 0.01, 0.01, 0.01, 0.01])).toBe(0);
    expect(await run([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toBe(1);
  });

  it('trims again after the next busy spell', async () => {
    expect(await run([0.5, 0, 0, 0, 0.5, 0, 0, 0])).toBe(2);
  });

  it('a moderately loaded loop is neither quiet nor a busy spell', async () => {
    expect(await run([0.9, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01])).toBe(0);
    expect(await run([0.1, 0.1, 0.01, 0.01, 0.01])).toBe(0);
  });

  it('survives a trim that throws (a Node without the inspector) and goes on sampling', async () => {
    jest.useFakeTimers();
    const shares = [0.9, 0, 0, 0, 0.9, 0, 0, 0];
    const start = Date.now();
    const idle = giveBackMemoryWhenIdle({
      utilization: () => shares[Math.ceil((Date.now() - start) / 1000) - 1] ?? 0,
      heap: () => ({ committed: 200 * 2 ** 20, used: 100 * 2 ** 20 }),
      trim: () => {
        throw new Error('inspector unavailable');
      },
    });
    for (let i = 0; i < shares.length; i++) await jest.advanceTimersByTimeAsync(1000);
    idle.stop();
    expect(idle.trims).toBe(2);
  });

  it('leaves a heap alone that holds little beyond what it uses', async () => {
    expect(await run([0.9, 0, 0, 0], 1 * 2 ** 20)).toBe(0);
  });

  it('gives the young generation back for real, through the process inspector', async () => {
    // A burst: garbage through the young generation until it has grown to its largest.
    let keep: object[] = [];
    for (let i = 0; i < 300_000; i++) {
      keep.push({ name: `object-${i}`, values: [i, i + 1] });
      if (keep.length > 50_000) keep = keep.slice(25_000);
    }
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
    const before = young();
    let step = 0;
    const idle = giveBackMemoryWhenIdle({ sampleMs: 20, utilization: () => (step++ === 0 ? 1 : 0), slackBytes: 0 });
    const deadline = Date.now() + 10_000;
    while ((idle.trims === 0 || young() >= before) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    idle.stop();
    expect(idle.trims).toBe(1);
    expect(keep.length).toBeGreaterThan(0);
    expect(young()).toBeLessThan(before);
  });
});
