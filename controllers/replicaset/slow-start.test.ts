import { slowStartBatch } from './slow-start';

describe('slowStartBatch', () => {
  it('runs in batches of 1, 2, 4 … until the count is reached', async () => {
    const batches: number[] = [];
    let running = 0;
    let inBatch = 0;
    const outcome = await slowStartBatch(20, 1, async () => {
      if (running === 0) {
        if (inBatch > 0) batches.push(inBatch);
        inBatch = 0;
      }
      running++;
      inBatch++;
      await new Promise((r) => setTimeout(r, 1));
      running--;
    });
    batches.push(inBatch);
    expect(batches).toEqual([1, 2, 4, 8, 5]);
    expect(outcome).toEqual({ successes: 20 });
  });

  it('stops after the batch with the first failure and counts what succeeded', async () => {
    let calls = 0;
    const outcome = await slowStartBatch(100, 1, async () => {
      calls++;
      if (calls === 5) throw new Error('quota exceeded');
    });
    // Batches 1, 2, then 4 of which one failed: 7 calls, 6 successes, no more batches.
    expect(calls).toBe(7);
    expect(outcome.successes).toBe(6);
    expect((outcome.error as Error).message).toBe('quota exceeded');
  });

  it('does nothing for a count of zero', async () => {
    const fn = jest.fn(async () => undefined);
    expect(await slowStartBatch(0, 1, fn)).toEqual({ successes: 0 });
    expect(fn).not.toHaveBeenCalled();
  });
});
