/**
 * TLS to etcd for `berth server` and `berth up`, by kube-apiserver's flags: `--etcd-cafile`,
 * `--etcd-certfile`, `--etcd-keyfile`. The files are read once, at start.
 */
import fs from 'node:fs';
import { GrpcTls, tlsProblem } from '../store/etcd-grpc';
import type { StoreSpec } from '../store/open';
import { CommandError, ExitCode } from './exit';
import { expandHome } from './paths';

export interface EtcdTlsFlags {
  etcdCafile?: string;
  etcdCertfile?: string;
  etcdKeyfile?: string;
}

const flagNames: Record<keyof GrpcTls, string> = { ca: '--etcd-cafile', cert: '--etcd-certfile', key: '--etcd-keyfile' };

/** `spec` with the files the flags name read in; bad input when the store is not etcd over https or a file cannot be read. */
export function withEtcdTls(spec: StoreSpec, flags: EtcdTlsFlags): StoreSpec {
  const files: Record<keyof GrpcTls, string | undefined> = { ca: flags.etcdCafile, cert: flags.etcdCertfile, key: flags.etcdKeyfile };
  const given = (['ca', 'cert', 'key'] as const).filter((name) => files[name] !== undefined);
  if (given.length === 0) return spec;
  if (!('etcd' in spec)) throw new CommandError(`${given.map((name) => flagNames[name]).join(', ')}: only for an etcd store (--etcd)`, ExitCode.badInput);
  const problem = tlsProblem(spec.etcd, files, flagNames);
  if (problem) throw new CommandError(problem, ExitCode.badInput);
  const tls: GrpcTls = {};
  for (const name of given) tls[name] = readFlagFile(flagNames[name], files[name]!);
  return { ...spec, tls };
}

const readProblems: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };

function readFlagFile(flag: string, file: string): Buffer {
  try {
    return fs.readFileSync(expandHome(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new CommandError(`${flag} ${file}: cannot read it (${readProblems[code] ?? (code || String(e))})`, ExitCode.badInput);
  }
}
