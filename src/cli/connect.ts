/**
 * What every command that talks to the API server starts with: a client from the connection
 * flags (kubeconfig from --kubeconfig, KUBECONFIG or ~/.berth/kubeconfig), the namespace the
 * command works in, and the kinds the server serves (discovery, fetched once, on first need).
 */
import { Client, ConnectionOptions, connectionFrom } from '../client';
import { ResourceTypes } from './resolve';

export interface Session {
  client: Client;
  /** `-n`, else the kubeconfig context's namespace, else `default`. */
  namespace: string;
  /** The server's kinds, discovered on the first call. */
  types(): Promise<ResourceTypes>;
  close(): void;
}

/**
 * A command fails fast when the server is down: three quick retries (about 1.5 s) ride over a
 * restart, and then the error names the URL and how to start a server.
 */
const cliRetries = { maxRetries: 3, retryBaseMs: 200, retryMaxMs: 1000, userAgent: 'berth-cli/0.1.0' };

export function openSession(flags: ConnectionOptions): Session {
  const client = new Client(connectionFrom(flags), cliRetries);
  let types: Promise<ResourceTypes> | undefined;
  return {
    client,
    namespace: client.namespace,
    types: () => (types ??= ResourceTypes.discover(client)),
    close: () => client.close(),
  };
}

/** Runs a command's body with a session, closing its connections after. */
export async function withSession<T>(flags: ConnectionOptions, body: (session: Session) => Promise<T>): Promise<T> {
  const session = openSession(flags);
  try {
    return await body(session);
  } finally {
    session.close();
  }
}
