/**
 * Certificates for an etcd with TLS and client certificates: a fresh CA, a server certificate for
 * 127.0.0.1 and a client certificate, all signed by it, written as PEM files into `dir`.
 */
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { createCa, issueCertificate, Issued } from '../../src/apiserver/tls';

/** What a client of the etcd trusts and presents: PEM texts, and the files holding them (for `--etcd-cafile` …). */
export interface EtcdClientTls {
  ca: string;
  cert: string;
  key: string;
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface EtcdPki {
  client: EtcdClientTls;
  /** etcd's flags for its side: --cert-file, --key-file, --trusted-ca-file, --client-cert-auth. */
  serverFlags: string[];
}

export function createEtcdPki(dir: string): EtcdPki {
  const ca = createCa('berth-test-etcd-ca');
  // etcd 3.4 dials itself with its serving certificate (its HTTP gateway), so it is for clients too.
  const server = issueCertificate(ca, { commonName: 'etcd', hosts: ['127.0.0.1', 'localhost'], serverAuth: true, clientAuth: true });
  const client = issueCertificate(ca, { commonName: 'berth', clientAuth: true });
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const caPem = forge.pki.certificateToPem(ca.cert);
  const caFile = write('ca.crt', caPem);
  const [serverCert, serverKey] = pem(server);
  const [cert, key] = pem(client);
  return {
    client: { ca: caPem, cert, key, caFile, certFile: write('client.crt', cert), keyFile: write('client.key', key) },
    serverFlags: ['--cert-file', write('server.crt', serverCert), '--key-file', write('server.key', serverKey), '--trusted-ca-file', caFile, '--client-cert-auth'],
  };
}

function pem(issued: Issued): [cert: string, key: string] {
  return [forge.pki.certificateToPem(issued.cert), forge.pki.privateKeyToPem(issued.key)];
}
