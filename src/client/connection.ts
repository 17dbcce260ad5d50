/**
 * Where the API server is and how to talk to it. One function, `connectionFrom`, used by the CLI
 * commands, `berth controllers` and `berth agent` alike:
 *
 *   flags (--server, --token, --certificate-authority, ...)  override
 *   the kubeconfig: --kubeconfig FILE, else $KUBECONFIG, else ~/.berth/kubeconfig
 *
 * As in kubectl, `--insecure-skip-tls-verify` on the command line drops a CA the kubeconfig names.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Invalid, NotFound } from '../api/errors';
import { defaultDataDir } from '../cli/paths';
import { kubeconfigFilesFromEnv, loadKubeconfig, resolveContext } from './kubeconfig';

/** Everything needed to open connections to one API server. */
export interface Connection {
  /** `https://127.0.0.1:6443`, without a trailing slash. */
  server: string;
  token?: string;
  /** PEM of the CA that signs the server's certificate. */
  ca?: string;
  /** PEM client certificate and key, for TLS client authentication. */
  cert?: string;
  key?: string;
  insecureSkipTlsVerify: boolean;
  /** The name to check the server's certificate against, when it is not the URL's host. */
  tlsServerName?: string;
  /** The namespace commands default to (the context's, else `default`). */
  namespace: string;
  /** Where this connection came from, for messages: `kubeconfig /x (context dev)` or `--server`. */
  source: string;
}

/** Flags and settings a connection can be built from; the names match `addConnectionFlags`. */
export interface ConnectionOptions {
  kubeconfig?: string;
  context?: string;
  server?: string;
  token?: string;
  tokenFile?: string;
  certificateAuthority?: string;
  insecureSkipTlsVerify?: boolean;
  clientCertificate?: string;
  clientKey?: string;
  namespace?: string;
  /** For tests: the environment to read KUBECONFIG from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** `~/.berth/kubeconfig` (or under BERTH_DATA_DIR), where `berth up` writes the local cluster's. */
export function defaultKubeconfigPath(): string {
  return path.join(defaultDataDir(), 'kubeconfig');
}

/** Builds the connection from flags over a kubeconfig; every error names the file or flag at fault. */
export function connectionFrom(options: ConnectionOptions = {}): Connection {
  const env = options.env ?? process.env;
  let files: string[] = [];
  if (options.kubeconfig) {
    if (!fs.existsSync(options.kubeconfig)) throw new NotFound(`--kubeconfig ${options.kubeconfig} does not exist`);
    files = [options.kubeconfig];
  } else if (env.KUBECONFIG) {
    files = kubeconfigFilesFromEnv(env.KUBECONFIG);
    if (files.length === 0 && !options.server) throw new NotFound(`none of the files KUBECONFIG lists exist (${env.KUBECONFIG}); pass --server URL or fix KUBECONFIG`);
  } else if (fs.existsSync(defaultKubeconfigPath())) {
    files = [defaultKubeconfigPath()];
  }
  if (files.length === 0 && !options.server) {
    throw new NotFound(
      `no API server to talk to: ${defaultKubeconfigPath()} does not exist and KUBECONFIG is not set; ` +
        'pass --server URL (and --token), or --kubeconfig FILE, or start a local cluster with `berth up`',
    );
  }

  const settings: Partial<Connection> & { insecureSkipTlsVerify: boolean } = { insecureSkipTlsVerify: false };
  let source = options.server ? '--server' : '';
  if (files.length > 0) {
    const config = loadKubeconfig(files);
    const context = resolveContext(config, options.context);
    const cluster = context.cluster.value;
    const at = (located: { file: string; field: string }, field: string) => `${located.file}: ${located.field}.${field}`;
    settings.server = checkServer(cluster.server, at(context.cluster, 'server'));
    settings.insecureSkipTlsVerify = cluster['insecure-skip-tls-verify'] ?? false;
    settings.tlsServerName = cluster['tls-server-name'];
    if (cluster['certificate-authority-data']) settings.ca = base64(cluster['certificate-authority-data'], at(context.cluster, 'certificate-authority-data'));
    else if (cluster['certificate-authority']) settings.ca = readFile(cluster['certificate-authority'], at(context.cluster, 'certificate-authority'));
    const user = context.user?.value;
    if (user && context.user) {
      if (user.exec || user['auth-provider']) throw new Invalid(`${at(context.user, user.exec ? 'exec' : 'auth-provider')}: credential plugins are not supported by berth; use a token or a client certificate`);
      if (user.username || user.password) throw new Invalid(`${at(context.user, 'username')}: basic authentication is not supported by berth; use a token or a client certificate`);
      if (user.token) settings.token = user.token;
      else if (user.tokenFile) settings.token = readFile(user.tokenFile, at(context.user, 'tokenFile')).trim();
      if (user['client-certificate-data']) settings.cert = base64(user['client-certificate-data'], at(context.user, 'client-certificate-data'));
      else if (user['client-certificate']) settings.cert = readFile(user['client-certificate'], at(context.user, 'client-certificate'));
      if (user['client-key-data']) settings.key = base64(user['client-key-data'], at(context.user, 'client-key-data'));
      else if (user['client-key']) settings.key = readFile(user['client-key'], at(context.user, 'client-key'));
    }
    settings.namespace = context.namespace;
    source = `kubeconfig ${files.join(':')} (context ${context.name})${options.server ? ' with --server' : ''}`;
  }

  if (options.server) settings.server = checkServer(options.server, '--server');
  if (options.token !== undefined) settings.token = options.token;
  else if (options.tokenFile) settings.token = readFile(options.tokenFile, '--token-file').trim();
  if (options.insecureSkipTlsVerify) {
    settings.insecureSkipTlsVerify = true;
    settings.ca = undefined;
  }
  if (options.certificateAuthority) {
    if (options.insecureSkipTlsVerify) throw new Invalid('--certificate-authority and --insecure-skip-tls-verify cannot be combined: one pins the server, the other trusts anything');
    settings.ca = readFile(options.certificateAuthority, '--certificate-authority');
    settings.insecureSkipTlsVerify = false;
  }
  if (options.clientCertificate) settings.cert = readFile(options.clientCertificate, '--client-certificate');
  if (options.clientKey) settings.key = readFile(options.clientKey, '--client-key');
  if (Boolean(settings.cert) !== Boolean(settings.key)) throw new Invalid(`${source}: a client certificate needs its key and a key needs its certificate`);
  if (settings.ca && settings.insecureSkipTlsVerify) throw new Invalid(`${source}: certificate-authority and insecure-skip-tls-verify cannot both be set`);

  return {
    server: settings.server!,
    token: settings.token,
    ca: settings.ca,
    cert: settings.cert,
    key: settings.key,
    insecureSkipTlsVerify: settings.insecureSkipTlsVerify,
    tlsServerName: settings.tlsServerName,
    namespace: options.namespace ?? settings.namespace ?? 'default',
    source,
  };
}

/**
 * Adds the connection flags to a command, so every client command takes the same ones. The
 * parsed options (`command.opts()`) are a `ConnectionOptions`: pass them to `connectionFrom`.
 */
export function addConnectionFlags(command: Command): Command {
  return command
    .option('--kubeconfig <file>', `kubeconfig to use (default: $KUBECONFIG, else ${path.join('~', '.berth', 'kubeconfig')})`)
    .option('--context <name>', 'the kubeconfig context to use (default: its current-context)')
    .option('-s, --server <url>', 'the API server, e.g. https://127.0.0.1:6443 (overrides the kubeconfig)')
    .option('--token <token>', 'bearer token for the API server')
    .option('--certificate-authority <file>', "PEM file of the CA that signs the server's certificate")
    .option('--insecure-skip-tls-verify', "do not check the server's certificate (development only)")
    .option('--client-certificate <file>', 'PEM client certificate for TLS client authentication')
    .option('--client-key <file>', 'PEM key of the client certificate')
    .option('-n, --namespace <namespace>', "the namespace to work in (default: the context's, else default)");
}

function checkServer(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Invalid(`${where}: "${value}" is not a URL; expected e.g. https://127.0.0.1:6443`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Invalid(`${where}: "${value}" must be an http:// or https:// URL`);
  return value.replace(/\/+$/, '');
}

function readFile(file: string, where: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Invalid(`${where}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function base64(value: string, where: string): string {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(value)) throw new Invalid(`${where}: is not base64`);
  return Buffer.from(value, 'base64').toString('utf8');
}
