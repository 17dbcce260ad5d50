/**
 * What `berth up` keeps in its data directory, created on the first start and reused after, so a
 * restart resumes the same cluster and old kubeconfigs keep working:
 *
 *   DIR/state.db          the embedded store (unless --etcd)
 *   DIR/pki/              CA and serving certificate (--tls auto)
 *   DIR/tokens.csv        static bearer tokens (token,user,uid,"groups"): the admin's and the agent's
 *   DIR/kubeconfig        server URL, CA and admin token, for berth and kubectl
 *   DIR/agent/            the local agent's volumes and state
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export interface ClusterFiles {
  dir: string;
  store: string;
  pki: string;
  tokens: string;
  kubeconfig: string;
  agentDir: string;
}

export function clusterFiles(dir: string): ClusterFiles {
  return {
    dir,
    store: path.join(dir, 'state.db'),
    pki: path.join(dir, 'pki'),
    tokens: path.join(dir, 'tokens.csv'),
    kubeconfig: path.join(dir, 'kubeconfig'),
    agentDir: path.join(dir, 'agent'),
  };
}

export interface Tokens {
  admin: string;
  agent: string;
}

/** Reads the tokens file, creating it with fresh random tokens the first time. */
export function ensureTokens(file: string): Tokens {
  if (fs.existsSync(file)) {
    const found: Partial<Tokens> = {};
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const [token, user] = line.split(',');
      if (user === 'admin') found.admin = token;
      if (user === 'system:node-agent') found.agent = token;
    }
    if (found.admin && found.agent) return found as Tokens;
  }
  const tokens = { admin: randomBytes(24).toString('hex'), agent: randomBytes(24).toString('hex') };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${tokens.admin},admin,admin,"system:masters"\n${tokens.agent},system:node-agent,node-agent,"system:nodes"\n`,
    { mode: 0o600 },
  );
  return tokens;
}

/** Writes the kubeconfig kubectl and berth use: https, the CA inline, the admin token. */
export function writeKubeconfig(file: string, server: string, caPem: string, token: string, name = 'berth'): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: `${name}-admin`, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  };
  fs.writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
}
