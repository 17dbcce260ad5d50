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

/** Creates the CA and serving certificate in `dir` unless they exist; returns their paths. */
export function ensureAutoTls(dir: string, extraHosts: string[] = []): TlsFiles {
  const files: TlsFiles = {
    caCertFile: path.join(dir, 'ca.crt'),
    certFile: path.join(dir, 'apiserver.crt'),
    keyFile: path.join(dir, 'apiserver.key'),
  };
  if (fs.existsSync(files.caCertFile) && fs.existsSync(files.certFile) && fs.existsSync(files.keyFile)) return files;
  fs.mkdirSync(dir, { recursive: true });

  const now = new Date();
  const ca = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(now.getTime() - 60_000);
  caCert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const caName = [{ name: 'commonName', value: 'berth-ca' }];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const server = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = server.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 5 * 365 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: 'berth-apiserver' }]);
  cert.setIssuer(caName);
  const ips = [...new Set([...hostAddresses(), ...extraHosts.filter((h) => /^\d+\.\d+\.\d+\.\d+$/.test(h))])];
  const dns = [...new Set(['localhost', os.hostname(), 'kubernetes', 'kubernetes.default', ...extraHosts.filter((h) => !/^\d+\.\d+\.\d+\.\d+$/.test(h))])];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))] },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  fs.writeFileSync(files.caCertFile, forge.pki.certificateToPem(caCert), { mode: 0o644 });
  fs.writeFileSync(path.join(dir, 'ca.key'), forge.pki.privateKeyToPem(ca.privateKey), { mode: 0o600 });
  fs.writeFileSync(files.certFile, forge.pki.certificateToPem(cert), { mode: 0o644 });
  fs.writeFileSync(files.keyFile, forge.pki.privateKeyToPem(server.privateKey), { mode: 0o600 });
  return files;
}

export function readTls(files: { certFile: string; keyFile: string; caCertFile?: string }): TlsMaterial {
  return {
    cert: fs.readFileSync(files.certFile, 'utf8'),
    key: fs.readFileSync(files.keyFile, 'utf8'),
    ca: files.caCertFile ? fs.readFileSync(files.caCertFile, 'utf8') : '',
  };
}
