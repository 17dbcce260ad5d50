import type { Socket } from 'node:net';
import { WatchOutput } from './watch-output';

function fakeSocket(): { socket: Socket; writes: string[] } {
  const writes: string[] = [];
  const socket = { destroyed: false, writableLength: 0, write: (b: Buffer) => writes.push(b.toString()) } as unknown as Socket;
  return { socket, writes };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('watch output', () => {
  it('sends what one turn wrote to a connection as one write, in order', async () => {
    const a = fakeSocket();
    const b = fakeSocket();
    const outA = new WatchOutput(a.socket);
    const outB = new WatchOutput(b.socket);
    outA.write(Buffer.from('1'));
    outB.write(Buffer.from('x'));
    outA.write(Buffer.from('2'));
    outA.write(Buffer.from('3'));
    expect(a.writes).toEqual([]);
    expect(outA.unsentBytes).toBe(3);
    await turn();
    expect(a.writes).toEqual(['123']);
    expect(b.writes).toEqual(['x']);
    expect(outA.unsentBytes).toBe(0);
    outA.write(Buffer.from('4'));
    await turn();
    expect(a.writes).toEqual(['123', '4']);
  });

  it('writes what waits at once when flushed, and nothing twice', async () => {
    const a = fakeSocket();
    const out = new WatchOutput(a.socket);
    out.write(Buffer.from('last event'));
    out.flush();
    expect(a.writes).toEqual(['last event']);
    await turn();
    expect(a.writes).toEqual(['last event']);
  });

  it('drops output for a connection already gone', async () => {
    const a = fakeSocket();
    const out = new WatchOutput(a.socket);
    out.write(Buffer.from('lost'));
    (a.socket as { destroyed: boolean }).destroyed = true;
    await turn();
    expect(a.writes).toEqual([]);
  });

  it('rests after a slow round of writes as long as it took, and then sends what gathered', () => {
    // Time is the test's own: a loaded machine must not decide when the rest is over.
    let now = performance.now() + 1e6;
    jest.useFakeTimers({ doNotFake: ['performance'] });
    const clock = jest.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const writes: string[] = [];
      let slowWrites = 1;
      const slow = {
        destroyed: false,
        writableLength: 0,
        write: (b: Buffer) => {
          if (slowWrites-- > 0) now += 30;
          writes.push(b.toString());
        },
      } as unknown as Socket;
      const out = new WatchOutput(slow);
      out.write(Buffer.from('a'));
      jest.runOnlyPendingTimers();
      expect(writes).toEqual(['a']);
      out.write(Buffer.from('b'));
      jest.advanceTimersByTime(29);
      out.write(Buffer.from('c'));
      expect(writes).toEqual(['a']);
      jest.advanceTimersByTime(1);
      expect(writes).toEqual(['a', 'bc']);
    } finally {
      clock.mockRestore();
      jest.useRealTimers();
    }
  });
});
