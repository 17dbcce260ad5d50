/**
 * The real kubectl 1.32 against a recording server: every body its typed clients send as
 * protobuf decodes to the object kubectl itself prints for the same command with
 * `--dry-run=client -o json` (its JSON encoding of that object), and to the fields written out
 * in kubectl-cases.ts. The bodies kept as fixtures are checked to be byte for byte what kubectl
 * sends today.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnsupportedMediaType } from '../../src/api/errors';
import { protobufContentType } from '../../src/apiserver/protobuf';
import { requireCommand } from '../support/parts';
import { readFixture } from './fixtures';
import { blob, KubectlCase, kubectlCases } from './kubectl-cases';
import { RecordedRequest, RecordingServer, startRecordingServer } from './recording-server';
import { nightlyCronJob, nightlyCronJobPath } from './rich-cronjob';

const kubectlBinary = requireCommand('kubectl', 'kubectl 1.32, e.g. /usr/bin/kubectl from the google-cloud-sdk packages');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let server: RecordingServer;
let home: string;

beforeAll(async () => {
  server = await startRecordingServer({ [nightlyCronJobPath]: nightlyCronJob });
  // A home of its own, so kubectl's discovery cache neither leaks in nor out between runs.
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-kubectl-'));
  fs.writeFileSync(path.join(home, 'blob'), blob);
});

afterAll(async () => {
  await server?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

function kubectl(args: string[]): Promise<Run> {
  const resolved = args.map((a) => a.replace('{blob}', path.join(home, 'blob')));
  return new Promise((resolve) => {
    execFile(
      kubectlBinary,
      ['--server', server.url, ...resolved],
      { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: path.join(home, 'config') }, timeout: 45000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const withCommand = (c: KubectlCase, flags: string[] = []): string[] => [...c.args, ...flags, ...(c.command ? ['--', ...c.command] : [])];

async function capture(c: KubectlCase): Promise<RecordedRequest> {
  const before = server.requests.length;
  const run = await kubectl(withCommand(c));
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const sent = server.requests.slice(before).filter((r) => r.method === c.method && r.body.length > 0);
  expect(sent.map((r) => [r.path, r.contentType])).toEqual([[c.path, protobufContentType]]);
  return sent[0];
}

describe('kubectl 1.32 protobuf request bodies', () => {
  it.each(kubectlCases.map((c) => [c.name, c] as const))('%s decodes field by field to what kubectl meant', async (_name, c) => {
    const request = await capture(c);
    expect(request.error).toBeUndefined();
    expect(request.decoded).toEqual(c.object);
    if (c.fixture) expect(request.body).toEqual(readFixture(c.fixture));
  });

  it.each(kubectlCases.filter((c) => c.method === 'POST').map((c) => [c.name, c] as const))(
    '%s decodes to exactly kubectl’s own JSON encoding of the object',
    async (_name, c) => {
      const request = await capture(c);
      const printed = await kubectl(withCommand(c, ['--dry-run=client', '-o', 'json']));
      expect(printed.code).toBe(0);
      expect(request.decoded).toEqual(JSON.parse(printed.stdout));
    },
  );

  it('answers a kind without a message table with 415, which kubectl reports', async () => {
    const before = server.requests.length;
    const run = await kubectl(['create', 'priorityclass', 'high', '--value=1000']);
    const [request] = server.requests.slice(before).filter((r) => r.method === 'POST');
    expect(request.path).toBe('/apis/scheduling.k8s.io/v1/priorityclasses');
    expect(request.error).toBeInstanceOf(UnsupportedMediaType);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('the protobuf encoding of scheduling.k8s.io/v1 PriorityClass is not supported; send it as application/json');
  });

  it('prints what the server answered for a created object', async () => {
    const run = await kubectl(['create', 'namespace', 'printed']);
    expect(run.stdout.trim()).toBe('namespace/printed created');
  });
});
