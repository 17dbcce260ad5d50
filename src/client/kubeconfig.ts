/**
 * Kubeconfig files, as kubectl reads them (client-go `tools/clientcmd`): clusters, users and
 * contexts by name, a current context, credentials inline (`*-data`, `token`) or in files
 * (`certificate-authority`, `client-certificate`, `client-key`, `tokenFile`) whose relative
 * paths are relative to the kubeconfig itself.
 *
 * `KUBECONFIG` may list several files (`a:b`); as in client-go, the first file that defines a
 * name (or the current context) wins, and missing files in the list are skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as t from 'io-ts';
import YAML from 'yaml';
import { struct } from '../api/codecs';
import { decode } from '../api/decode';
import { Invalid, NotFound } from '../api/errors';

const Cluster = struct(
  'Cluster',
  { server: t.string },
  {
    'certificate-authority': t.string,
    'certificate-authority-data': t.string,
    'insecure-skip-tls-verify': t.boolean,
    'tls-server-name': t.string,
  },
);

/** Credential plugins are recognised only to say that berth does not run them. */
const ExecConfig = t.unknown;

const User = struct(
  'AuthInfo',
  {},
  {
    token: t.string,
    tokenFile: t.string,
    'client-certificate': t.string,
    'client-certificate-data': t.string,
    'client-key': t.string,
    'client-key-data': t.string,
    username: t.string,
    password: t.string,
    exec: ExecConfig,
    'auth-provider': ExecConfig,
  },
);

const Context = struct('Context', { cluster: t.string }, { user: t.string, namespace: t.string });

const KubeconfigFile = struct(
  'Config',
  {},
  {
    apiVersion: t.string,
    kind: t.string,
    clusters: t.array(struct('NamedCluster', { name: t.string }, { cluster: Cluster })),
    users: t.array(struct('NamedAuthInfo', { name: t.string }, { user: User })),
    contexts: t.array(struct('NamedContext', { name: t.string }, { context: Context })),
    'current-context': t.string,
  },
);

export type KubeconfigCluster = t.TypeOf<typeof Cluster>;
export type KubeconfigUser = t.TypeOf<typeof User>;
export type KubeconfigContext = t.TypeOf<typeof Context>;

/** Where a value came from, so an error can say which file and field to fix. */
export interface Located<T> {
  value: T;
  /** The kubeconfig file that defined it. */
  file: string;
  /** The field's path in that file, e.g. `clusters[0].cluster`. */
  field: string;
}

/** One or more kubeconfig files merged: every name resolved to where it was defined. */
export interface Kubeconfig {
  files: string[];
  clusters: Map<string, Located<KubeconfigCluster>>;
  users: Map<string, Located<KubeconfigUser>>;
  contexts: Map<string, Located<KubeconfigContext>>;
  currentContext?: Located<string>;
}

/** Reads one file; a missing file, bad YAML or a mistyped field is an error naming the file. */
export function readKubeconfigFile(file: string): t.TypeOf<typeof KubeconfigFile> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFound(`kubeconfig ${file} does not exist`);
    throw new Invalid(`kubeconfig ${file} cannot be read: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text, { maxAliasCount: 100 }) ?? {};
  } catch (e) {
    throw new Invalid(`kubeconfig ${file} is not valid YAML: ${(e as Error).message}`);
  }
  return decode(KubeconfigFile, parsed, `kubeconfig ${file}`);
}

/** Loads and merges files in order; the first definition of each name wins. */
export function loadKubeconfig(files: string[]): Kubeconfig {
  const merged: Kubeconfig = { files, clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    const config = readKubeconfigFile(file);
    const dir = path.dirname(path.resolve(file));
    (config.clusters ?? []).forEach((entry, i) => {
      if (merged.clusters.has(entry.name) || !entry.cluster) return;
      const c = { ...entry.cluster };
      if (c['certificate-authority']) c['certificate-authority'] = path.resolve(dir, c['certificate-authority']);
      merged.clusters.set(entry.name, { value: c, file, field: `clusters[${i}].cluster` });
    });
    (config.users ?? []).forEach((entry, i) => {
      if (merged.users.has(entry.name)) return;
      const u = { ...(entry.user ?? {}) };
      for (const key of ['tokenFile', 'client-certificate', 'client-key'] as const) {
        if (u[key]) u[key] = path.resolve(dir, u[key]!);
      }
      merged.users.set(entry.name, { value: u, file, field: `users[${i}].user` });
    });
    (config.contexts ?? []).forEach((entry, i) => {
      if (merged.contexts.has(entry.name) || !entry.context) return;
      merged.contexts.set(entry.name, { value: entry.context, file, field: `contexts[${i}].context` });
    });
    if (!merged.currentContext && config['current-context']) merged.currentContext = { value: config['current-context'], file, field: 'current-context' };
  }
  return merged;
}

/** The files `KUBECONFIG` lists that exist (client-go skips missing ones). */
export function kubeconfigFilesFromEnv(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(path.delimiter)
    .filter((f) => f !== '')
    .filter((f) => fs.existsSync(f));
}

/** What a context points at, with each part located for error messages. */
export interface ResolvedContext {
  name: string;
  cluster: Located<KubeconfigCluster>;
  user?: Located<KubeconfigUser>;
  namespace?: string;
}

/** The named context (or the current one); an unknown name says which names exist. */
export function resolveContext(config: Kubeconfig, name?: string): ResolvedContext {
  const where = config.files.join(', ');
  const contextName = name ?? config.currentContext?.value;
  if (!contextName) {
    if (config.contexts.size === 1) return resolveContext(config, [...config.contexts.keys()][0]);
    throw new Invalid(`kubeconfig ${where} sets no current-context; pick one with --context (${listNames(config.contexts)})`);
  }
  const context = config.contexts.get(contextName);
  if (!context) throw new NotFound(`context "${contextName}" is not in kubeconfig ${where} (${listNames(config.contexts)})`);
  const cluster = config.clusters.get(context.value.cluster);
  if (!cluster) {
    throw new NotFound(`${context.file}: ${context.field}.cluster names cluster "${context.value.cluster}", which is not defined (${listNames(config.clusters)})`);
  }
  let user: Located<KubeconfigUser> | undefined;
  if (context.value.user) {
    user = config.users.get(context.value.user);
    if (!user) throw new NotFound(`${context.file}: ${context.field}.user names user "${context.value.user}", which is not defined (${listNames(config.users)})`);
  }
  return { name: contextName, cluster, user, namespace: context.value.namespace };
}

function listNames(map: Map<string, unknown>): string {
  return map.size === 0 ? 'none are defined' : `defined: ${[...map.keys()].map((n) => `"${n}"`).join(', ')}`;
}
