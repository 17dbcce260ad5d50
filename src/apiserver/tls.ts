/**
 * `--tls auto`: a private CA and a serving certificate signed by it, created once in the data
 * directory and reused afterwards (so kubeconfigs holding the CA keep working). The serving
 * certificate names 127.0.0.1, localhost, the host name and the host's addresses.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

export interface TlsFiles {
  caCertFile: string;
  certFile: string;
  keyFile: string;
}

export interface TlsMaterial {
  cert: string;
  key: string;
  ca: string;
}

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node's native RSA generation is far faster than forge's pure-JS one.
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function serial(): string {
  return '01' + crypto.randomBytes(15).toString('hex');
}

function hostAddresses(): string[] {
  const found = new Set(['127.0.0.1']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4') found.add(a.address);
  }
  return [...found];
}

/** A certificate and its private key, as forge holds them. */
export interface Issued {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

const isIp = (host: string) => /^\d+\.\d+\.\d+\.\d+$/.test(host);

/** A self-signed CA, valid ten years. */
export function createCa(commonName: string): Issued {
  const now = new Date();
  const ca = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = ca.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const name = [{ name: 'commonName', value: commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());
  return { cert, key: ca.privateKey };
}

/**
 * A certificate signed by `ca`, valid five years: for serving (`serverAuth`, naming `hosts`: DNS
 * names and IPv4 addresses), for a client (`clientAuth`), or both.
 */
export function issueCertificate(ca: Issued, options: { commonName: string; hosts?: string[]; serverAuth?: boolean; clientAuth?: boolean }): Issued {
  const now = new Date();
  const pair = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = pair.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 5 * 365 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: options.commonName }]);
  cert.setIssuer(ca.cert.subject.attributes);
  const hosts = options.hosts ?? [];
  const altNames = [...hosts.filter((h) => !isIp(h)).map((value) => ({ type: 2, value })), ...hosts.filter(isIp).map((ip) => ({ type: 7, ip }))];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', ...(options.serverAuth && { serverAuth: true }), ...(options.clientAuth && { clientAuth: true }) },
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { cert, key: pair.privateKey };
}

/** Creates the CA and serving certificate in `dir` unless they exist; returns their paths. */
export function ensureAutoTls(dir: string, extraHosts: string[] = []): TlsFiles {
  const files: TlsFiles = {
    caCertFile: path.join(dir, 'ca.crt'),
    certFile: path.join(dir, 'apiserver.crt'),
    keyFile: path.join(dir, 'apiserver.key'),
  };
  if (fs.existsSync(files.caCertFile) && fs.existsSync(files.certFile) && fs.existsSync(files.keyFile)) return files;
  fs.mkdirSync(dir, { recursive: true });

  const ca = createCa('berth-ca');
  const ips = [...new Set([...hostAddresses(), ...extraHosts.filter(isIp)])];
  const dns = [...new Set(['localhost', os.hostname(), 'kubernetes', 'kubernetes.default', ...extraHosts.filter((h) => !isIp(h))])];
  const server = issueCertificate(ca, { commonName: 'berth-apiserver', hosts: [...dns, ...ips], serverAuth: true });

  fs.writeFileSync(files.caCertFile, forge.pki.certificateToPem(ca.cert), { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'ca.key'), forge.pki.privateKeyToPem(ca.key), { mode: 0o600 });
  fs.writeFileSync(files.certFile, forge.pki.certificateToPem(server.cert), { mode: 0o644 });
  fs.writeFileSync(files.keyFile, forge.pki.privateKeyToPem(server.key), { mode: 0o600 });
  return files;
}

export function readTls(files: { certFile: string; keyFile: string; caCertFile?: string }): TlsMaterial {
  return {
    cert: fs.readFileSync(files.certFile, 'utf8'),
    key: fs.readFileSync(files.keyFile, 'utf8'),
    ca: files.caCertFile ? fs.readFileSync(files.caCertFile, 'utf8') : '',
  };
}
