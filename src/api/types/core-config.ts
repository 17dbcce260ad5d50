/** core/v1 ConfigMap and Secret. */
import * as t from 'io-ts';
import { described, mapOf } from '../codecs';
import { base64, stringMap } from '../scalars';
import { resource } from './meta';

export const ConfigMap = resource(
  'v1',
  'ConfigMap',
  'ConfigMap holds configuration data for pods to consume as environment variables or files.',
  {},
  {
    immutable: described(t.boolean, 'If true, only metadata can be changed.'),
    data: described(stringMap, 'UTF-8 configuration data; keys are file names when mounted.'),
    binaryData: described(mapOf(base64), 'Binary configuration data, base64-encoded.'),
  },
);
export type ConfigMap = t.TypeOf<typeof ConfigMap>;

export const Secret = resource(
  'v1',
  'Secret',
  'Secret holds a small amount of sensitive data, such as a password, a token or a key.',
  {},
  {
    immutable: described(t.boolean, 'If true, only metadata can be changed.'),
    data: described(mapOf(base64), 'The secret data, base64-encoded.'),
    stringData: described(stringMap, 'Write-only plain-text data, merged into data on write; never read back.'),
    type: described(t.string, 'Used to ease programmatic handling, e.g. Opaque or kubernetes.io/tls.'),
  },
);
export type Secret = t.TypeOf<typeof Secret>;
