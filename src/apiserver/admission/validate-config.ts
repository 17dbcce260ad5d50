/**
 * ConfigMaps and Secrets (upstream's ValidateConfigMap and ValidateSecret): key names, at most
 * 1 MiB of data, the keys each Secret type requires, and nothing changes once `immutable` is set.
 */
import type { Cause } from '../../api/errors';
import type { ConfigMap, Secret } from '../../api/types';
import { deepEqual } from '../../util/json';
import { forbidden, immutable, invalid, key, required, tooManyBytes } from './field-errors';
import { onKind } from './kinds';

/** Total data a ConfigMap or Secret may hold. */
export const MAX_DATA_BYTES = 1024 * 1024;
const KEY_FORMAT = '[-._a-zA-Z0-9]+';
const KEY = new RegExp(`^${KEY_FORMAT}$`);
const IMMUTABLE = 'field is immutable when `immutable` is set';
const REDACTED = '<secret contents redacted>';

/** upstream's IsConfigMapKey: the name of a file when mounted. */
export function configKeyProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 253) problems.push('must be no more than 253 characters');
  if (!KEY.test(name)) {
    problems.push(
      `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${KEY_FORMAT}')`,
    );
  }
  if (name === '.') problems.push("must not be '.'");
  else if (name === '..') problems.push("must not be '..'");
  else if (name.startsWith('..')) problems.push("must not start with '..'");
  return problems;
}

const decodedLength = (base64: string): number => Buffer.from(base64, 'base64').length;

export const configMapValidation = onKind('configmap-validation', '', 'ConfigMap', {
  validate(obj, { old }) {
    const configMap = obj as ConfigMap;
    const causes: Cause[] = [];
    let size = 0;
    for (const [name, value] of Object.entries(configMap.data ?? {})) {
      for (const p of configKeyProblems(name)) causes.push(invalid(key('data', name), name, p));
      if (configMap.binaryData?.[name] !== undefined) causes.push(invalid(key('data', name), name, 'duplicate of key present in binaryData'));
      size += Buffer.byteLength(value);
    }
    for (const [name, value] of Object.entries(configMap.binaryData ?? {})) {
      for (const p of configKeyProblems(name)) causes.push(invalid(key('binaryData', name), name, p));
      size += decodedLength(value);
    }
    // upstream reports the size of the whole object at the empty path.
    if (size > MAX_DATA_BYTES) causes.push(tooManyBytes('', MAX_DATA_BYTES));
    const previous = old as ConfigMap | undefined;
    if (previous?.immutable) {
      if (!configMap.immutable) causes.push(forbidden('immutable', IMMUTABLE));
      if (!deepEqual(configMap.data ?? {}, previous.data ?? {})) causes.push(forbidden('data', IMMUTABLE));
      if (!deepEqual(configMap.binaryData ?? {}, previous.binaryData ?? {})) causes.push(forbidden('binaryData', IMMUTABLE));
    }
    return causes;
  },
});

export const secretValidation = onKind('secret-validation', '', 'Secret', {
  validate(obj, { old }) {
    const secret = obj as Secret;
    const data = secret.data ?? {};
    const causes: Cause[] = [];
    let size = 0;
    for (const [name, value] of Object.entries(data)) {
      for (const p of configKeyProblems(name)) causes.push(invalid(key('data', name), name, p));
      size += decodedLength(value);
    }
    if (size > MAX_DATA_BYTES) causes.push(tooManyBytes('data', MAX_DATA_BYTES));
    causes.push(...typeCauses(secret));
    const previous = old as Secret | undefined;
    if (previous) {
      causes.push(...immutable(secret.type, previous.type, 'type', (a, b) => a === b));
      if (previous.immutable) {
        if (!secret.immutable) causes.push(forbidden('immutable', IMMUTABLE));
        if (!deepEqual(data, previous.data ?? {})) causes.push(forbidden('data', IMMUTABLE));
      }
    }
    return causes;
  },
});

/** The keys each well-known Secret type must carry. */
function typeCauses(secret: Secret): Cause[] {
  const data = secret.data ?? {};
  const has = (name: string): boolean => data[name] !== undefined;
  switch (secret.type) {
    case 'kubernetes.io/service-account-token': {
      const annotation = 'kubernetes.io/service-account.name';
      return secret.metadata.annotations?.[annotation] ? [] : [required(key('metadata.annotations', annotation))];
    }
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required(key('data', 'username')), required(key('data', 'password'))];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [required(key('data', 'ssh-privatekey'))];
    case 'kubernetes.io/tls':
      return (['tls.crt', 'tls.key'] as const).filter((k) => !has(k)).map((k) => required(key('data', k)));
    case 'kubernetes.io/dockercfg':
      return jsonKeyCauses(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return jsonKeyCauses(data, '.dockerconfigjson');
    default:
      return [];
  }
}

function jsonKeyCauses(data: Record<string, string>, name: string): Cause[] {
  const value = data[name];
  if (value === undefined) return [required(key('data', name))];
  try {
    JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    return [];
  } catch (e) {
    return [invalid(key('data', name), REDACTED, e instanceof Error ? e.message : String(e))];
  }
}
