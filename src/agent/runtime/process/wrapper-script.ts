/**
 * The small program that watches over one host process for the process runtime. The agent
 * starts it detached, so it outlives an agent restart; it starts the container's command in its
 * own process group, writes every output line as a JSON record (Docker json-file style), and
 * on exit writes the exit code, so a restarted agent still learns how the process ended.
 *
 * It is plain JavaScript kept as text: the agent writes it into its data dir and runs it with
 * the same node binary, whether the agent itself runs compiled or from TypeScript.
 */
export const WRAPPER_SCRIPT = String.raw`'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const dir = process.argv[2];
const spec = JSON.parse(fs.readFileSync(path.join(dir, 'spec.json'), 'utf8'));
const log = fs.openSync(path.join(dir, 'log.jsonl'), 'a');
const nano = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
const record = (stream, text) => fs.writeSync(log, JSON.stringify({ time: nano(), stream, log: text }) + '\n');
const writeJson = (name, value) => {
  fs.writeFileSync(path.join(dir, name + '.tmp'), JSON.stringify(value));
  fs.renameSync(path.join(dir, name + '.tmp'), path.join(dir, name));
};
let finished = false;
const finish = (exitCode, signal, message) => {
  if (finished) return;
  finished = true;
  writeJson('exit.json', { exitCode, signal: signal || undefined, finishedAt: Date.now(), message });
  process.exit(0);
};

let child;
try {
  child = spawn(spec.argv[0], spec.argv.slice(1), {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: spec.uid,
    gid: spec.gid,
  });
} catch (error) {
  record('stderr', error.message + '\n');
  finish(128, undefined, error.message);
}
child.on('error', (error) => {
  record('stderr', error.message + '\n');
  finish(error.code === 'ENOENT' ? 127 : 126, undefined, error.message);
});
if (child.pid) writeJson('pid.json', { pid: child.pid, wrapper: process.pid, startedAt: Date.now() });
let open = 2;
let exit;
const done = () => {
  if (open > 0 || !exit) return;
  const [code, signal] = exit;
  finish(code === null ? 128 + (os.constants.signals[signal] || 0) : code, signal);
};
for (const [name, stream] of [['stdout', child.stdout], ['stderr', child.stderr]]) {
  let partial = '';
  stream.on('data', (chunk) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop();
    for (const line of lines) record(name, line + '\n');
  });
  stream.on('close', () => {
    if (partial) record(name, partial);
    open--;
    done();
  });
}
child.on('exit', (code, signal) => {
  exit = [code, signal];
  done();
  // Something the process left behind may hold its output open: do not wait for it long.
  setTimeout(() => {
    open = 0;
    done();
  }, 2000);
});
`;
