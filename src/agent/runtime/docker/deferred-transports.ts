/**
 * dockerode loads an SSH client (ssh2, via docker-modem's ssh transport) and a gRPC stack (for
 * BuildKit sessions) as soon as it is required: about 20 MB of the agent's memory, for transports
 * the agent never uses (it talks to the engine over a Unix socket or TCP). Each of the two modules
 * that pull them in exports a single function; this puts a stand-in in the module cache in their
 * place that loads the real module on its first call. dockerode.ts imports it before dockerode.
 *
 * If dockerode's layout ever changes, nothing is deferred and everything works as before.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

type Loader = (...args: unknown[]) => unknown;

function defer(file: string): void {
  if (require.cache[file]) return;
  let real: Loader | undefined;
  const stub = new Module(file);
  stub.filename = file;
  stub.loaded = true;
  stub.exports = function deferred(this: unknown, ...args: unknown[]): unknown {
    if (!real) {
      delete require.cache[file];
      real = require(file) as Loader;
    }
    return real.apply(this, args);
  };
  require.cache[file] = stub;
}

function resolveFrom(request: string, from?: string): string | undefined {
  try {
    return require.resolve(request, from ? { paths: [from] } : undefined);
  } catch {
    return undefined;
  }
}

const dockerode = resolveFrom('dockerode');
if (dockerode && !require.cache[dockerode]) {
  const modem = resolveFrom('docker-modem', path.dirname(dockerode));
  const files = [path.join(path.dirname(dockerode), 'session.js'), modem && path.join(path.dirname(modem), 'ssh.js')];
  for (const file of files) if (file && fs.existsSync(file)) defer(file);
}
