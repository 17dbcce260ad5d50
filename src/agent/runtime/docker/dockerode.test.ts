import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../../..');

/** Runs a script in a fresh Node process that loads the TypeScript sources (jest's module system has no require.cache). */
function node(script: string): string {
  return execFileSync(process.execPath, ['-r', path.join(root, 'test/cli/register-cached.js'), '-e', script], { cwd: root, encoding: 'utf8' });
}

describe('dockerode as berth loads it', () => {
  it('leaves the SSH and gRPC stacks unloaded, and loads them on first use', () => {
    const out = node(`
      const Docker = require('./src/agent/runtime/docker/dockerode').default;
      const loaded = () => Object.keys(require.cache).filter((f) => /node_modules\\/(ssh2|@grpc)\\//.test(f)).length;
      const docker = new Docker({ socketPath: '/nonexistent.sock' });
      const before = loaded();
      try { require('dockerode/lib/session')(); } catch { /* the real function ran, on arguments it does not want */ }
      console.log(JSON.stringify({ before, after: loaded(), hasModem: typeof docker.modem.dial }));
    `).trim();
    const result = JSON.parse(out.split('\n').pop()!);
    expect(result.before).toBe(0);
    expect(result.after).toBeGreaterThan(0);
    expect(result.hasModem).toBe('function');
  });
});
