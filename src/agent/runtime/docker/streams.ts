/**
 * Docker's streams: a container's logs (tail, since, timestamps, follow; demuxed unless the
 * container has a TTY), exec for probes (output collected, exit code read, a timeout) and exec
 * with its streams attached (kubectl exec).
 */
import { Duplex, PassThrough, Readable, Writable } from 'node:stream';
import Docker from './dockerode';
import { DockerDemux, demuxBuffer } from '../../logs/demux';
import { ExecOptions, ExecResult, ExecSession, LogOptions } from '../runtime';
import { mapDockerError } from './docker-errors';

export async function containerLogs(docker: Docker, id: string, options: LogOptions): Promise<Readable> {
  const container = docker.getContainer(id);
  let tty = false;
  try {
    tty = (await container.inspect()).Config.Tty;
  } catch (error) {
    throw mapDockerError(error, `read the logs of container ${id}`);
  }
  const query: Docker.ContainerLogsOptions = {
    stdout: true,
    stderr: true,
    timestamps: options.timestamps === true,
    since: options.sinceTime === undefined ? 0 : options.sinceTime / 1000,
  };
  if (options.tailLines !== undefined) query.tail = Math.max(0, options.tailLines);
  if (options.signal) query.abortSignal = options.signal;
  try {
    if (options.follow) {
      const stream = (await container.logs({ ...query, follow: true })) as unknown as Readable;
      options.signal?.addEventListener('abort', () => stream.destroy(), { once: true });
      if (tty) return stream;
      const demux = new DockerDemux();
      stream.on('error', (error) => demux.destroy(error));
      stream.on('close', () => demux.end());
      return stream.pipe(demux);
    }
    const buffer = (await container.logs({ ...query, follow: false })) as unknown as Buffer;
    return Readable.from([tty ? buffer : demuxBuffer(buffer)]);
  } catch (error) {
    if (options.signal?.aborted) return Readable.from([]);
    throw mapDockerError(error, `read the logs of container ${id}`);
  }
}

export async function execInContainer(docker: Docker, id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
  const container = docker.getContainer(id);
  let exec: Docker.Exec;
  let stream: NodeJS.ReadableStream;
  try {
    exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
    stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
  } catch (error) {
    throw mapDockerError(error, `exec ${JSON.stringify(command)} in container ${id}`);
  }
  const chunks: Buffer[] = [];
  const demux = new DockerDemux();
  demux.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      (stream as Readable).destroy();
      resolve(false);
    }, timeoutMs);
    stream.on('end', () => {
      clearTimeout(timer);
      resolve(true);
    });
    stream.on('error', () => {
      clearTimeout(timer);
      resolve(true);
    });
    stream.pipe(demux);
  });
  const output = Buffer.concat(chunks).toString('utf8');
  if (!finished) return { exitCode: -1, output, timedOut: true };
  try {
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, output, timedOut: false };
  } catch (error) {
    throw mapDockerError(error, `read the exit code of an exec in container ${id}`);
  }
}

/** kubectl exec: a command with its streams attached; stdout and stderr apart unless there is a TTY. */
export async function startExecInContainer(docker: Docker, id: string, command: string[], options: ExecOptions): Promise<ExecSession> {
  const container = docker.getContainer(id);
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({ Cmd: command, AttachStdin: options.stdin, AttachStdout: true, AttachStderr: true, Tty: options.tty });
    stream = (await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty })) as Duplex;
  } catch (error) {
    throw mapDockerError(error, `exec ${JSON.stringify(command)} in container ${id}`);
  }
  let stdout: Readable = stream;
  let stderr: Readable | undefined;
  if (!options.tty) {
    const out = new PassThrough();
    const err = new PassThrough();
    docker.modem.demuxStream(stream, out, err);
    const end = () => {
      out.end();
      err.end();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
    stdout = out;
    stderr = err;
  }
  // The hijacked connection is both ways: ending our side closes the command's stdin.
  const stdin = options.stdin ? new Writable({ write: (chunk, _encoding, done) => stream.write(chunk, done), final: (done) => (stream.end(), done()) }) : undefined;
  const ended = new Promise<void>((resolve) => {
    stream.once('close', resolve);
    stream.once('end', resolve);
    stream.once('error', () => resolve());
  });
  return {
    stdout,
    stderr,
    stdin,
    resize: async (width, height) => {
      try {
        await exec.resize({ w: width, h: height });
      } catch {
        // The command may have ended meanwhile; a lost resize is harmless.
      }
    },
    exitCode: async () => {
      await ended;
      // Docker may report the exec as running for a moment after its streams closed.
      for (let i = 0; i < 50; i++) {
        const info = await exec.inspect().catch((error) => {
          throw mapDockerError(error, `read the exit code of an exec in container ${id}`);
        });
        if (!info.Running && info.ExitCode !== null) return info.ExitCode;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return -1;
    },
    abort: () => stream.destroy(),
  };
}
