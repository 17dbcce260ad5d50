/**
 * A full garbage collection in another Node process, asked through its inspector (the process
 * runs with `--inspect=127.0.0.1:PORT`). Its resident memory read afterwards is what it holds,
 * not what V8 had not yet collected when the reading was taken.
 */
import { once } from 'node:events';
import WebSocket from 'ws';

export async function collectGarbage(inspectorPort: number): Promise<void> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  try {
    await once(socket, 'open');
    const answered = new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const reply = JSON.parse(String(data)) as { id?: number; error?: { message: string } };
        if (reply.id !== 1) return;
        if (reply.error) reject(new Error(`the inspector refused to collect garbage: ${reply.error.message}`));
        else resolve();
      });
    });
    socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    await answered;
  } finally {
    socket.close();
  }
}
