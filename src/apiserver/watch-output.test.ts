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

  it('rests after a slow round of writes as long as it took, and then sends what gathered', async () => {
    const writes: string[] = [];
    const slow = {
      destroyed: false,
      writableLength: 0,
      write: (b: Buffer) => {
        const until = performance.now() + 30;
        while (performance.now() < until);
        writes.push(b.toString());
      },
    } as unknown as Socket;
    const out = new WatchOutput(slow);
    out.write(Buffer.from('a'));
    await turn();
    expect(writes).toEqual(['a']);
    out.write(Buffer.from('b'));
    await turn();
    out.write(Buffer.from('c'));
    await turn();
    expect(writes).toEqual(['a']);
    await new Promise((r) => setTimeout(r, 40));
    expect(writes).toEqual(['a', 'bc']);
  });
});
