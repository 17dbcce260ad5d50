/**
 * Where berth finds its server and what it says when it cannot: --kubeconfig over KUBECONFIG over
 * ~/.berth/kubeconfig; an unreachable server named with its URL and how to start one, quickly;
 * and the exit codes (1 failure, 4 bad usage).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startTestApiServer, TestApiServer } from '../support/api-server';
import { closedPort } from '../support/ports';
import { BerthCli } from './berth';

let api: TestApiServer;
let berth: BerthCli;

function kubeconfig(server: string, namespace = 'default'): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server } }],
    users: [{ name: 'u', user: {} }],
    contexts: [{ name: 'here', context: { cluster: 'c', user: 'u', namespace } }],
    'current-context': 'here',
  });
}

beforeAll(async () => {
  api = await startTestApiServer('sqlite');
  berth = new BerthCli(api.url);
});

afterAll(async () => {
  berth.dispose();
  await api.stop();
});

describe('berth and its server', () => {
  it('says which server it could not reach, from where it took it, and how to start one; exit 1, without a long wait', async () => {
    const port = closedPort;
    const file = path.join(berth.dir, 'down.kubeconfig');
    fs.writeFileSync(file, kubeconfig(`http://127.0.0.1:${port}`));
    const started = Date.now();
    const r = await berth.run(['get', 'pods'], { env: { KUBECONFIG: file } });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: cannot reach the API server at http://127.0.0.1:${port} (ECONNREFUSED, from kubeconfig ${file} (context here)); ` +
        'is it running? start one with `berth server` (or a whole cluster with `berth up`), or point --server / --kubeconfig at a running one\n',
    );
  });

  it('reads ~/.berth/kubeconfig when neither --kubeconfig nor KUBECONFIG is given', async () => {
    fs.mkdirSync(path.join(berth.dir, 'home', '.berth'), { recursive: true });
    fs.writeFileSync(path.join(berth.dir, 'home', '.berth', 'kubeconfig'), kubeconfig(api.url, 'kube-system'));
    const r = await berth.run(['get', 'configmaps', '-l', 'none=here'], { env: { KUBECONFIG: '' } });
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'No resources found in kube-system namespace.\n' });
    fs.rmSync(path.join(berth.dir, 'home', '.berth'), { recursive: true });
  });

  it('says what to do when there is no kubeconfig at all', async () => {
    const r = await berth.run(['get', 'pods'], { env: { KUBECONFIG: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no API server to talk to: .*\.berth\/kubeconfig does not exist and KUBECONFIG is not set; pass --server URL \(and --token\), or --kubeconfig FILE, or start a local cluster with `berth up`\n$/);
  });

  it('takes --kubeconfig over KUBECONFIG, and --server and -n over both', async () => {
    const file = path.join(berth.dir, 'other.kubeconfig');
    fs.writeFileSync(file, kubeconfig(api.url, 'kube-public'));
    const down = path.join(berth.dir, 'down.kubeconfig');
    const viaFlag = await berth.run(['get', 'cm', '-l', 'none=here', '--kubeconfig', file], { env: { KUBECONFIG: down } });
    expect(viaFlag.stderr).toBe('No resources found in kube-public namespace.\n');
    const viaServer = await berth.run(['get', 'cm', '-l', 'none=here', '--server', api.url, '-n', 'kube-node-lease'], { env: { KUBECONFIG: down } });
    expect(viaServer.stderr).toBe('No resources found in kube-node-lease namespace.\n');
  });

  it('exits 4 on bad usage, naming what is wrong', async () => {
    const output = await berth.run(['get', 'pods', '-o', 'xml']);
    expect(output).toEqual({ code: 4, stdout: '', stderr: 'error: --output must be one of wide, yaml, json, name; not "xml"\n' });
    const nothing = await berth.run(['describe']);
    expect(nothing.code).not.toBe(0);
    expect(nothing.stderr).toMatch(/missing required argument 'kind'/);
    const slash = await berth.run(['get', 'deploy', 'deploy/web']);
    expect(slash.code).toBe(4);
    expect(slash.stderr).toMatch(/there is no need to specify a resource type as a separate argument/);
  });
});
