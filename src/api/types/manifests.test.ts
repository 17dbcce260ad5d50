import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as t from 'io-ts';
import { parseAllDocuments } from 'yaml';
import { decode } from '../decode';
import { schemaOf } from '../schema-of';
import { unknownFields } from '../unknown-fields';
import {
  ConfigMap,
  CronJob,
  CustomResourceDefinition,
  Deployment,
  Endpoints,
  Event,
  Job,
  Lease,
  Namespace,
  Node,
  Pod,
  Secret,
  Service,
} from '.';

const codecs: Record<string, t.Mixed> = {
  ConfigMap,
  CronJob,
  CustomResourceDefinition,
  Deployment,
  Endpoints,
  Event,
  Job,
  Lease,
  Namespace,
  Node,
  Pod,
  Secret,
  Service,
};

const testdata = join(__dirname, 'testdata');
const manifests = readdirSync(testdata)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(testdata, file), 'utf8')).map((doc) => {
      const value = doc.toJS() as { kind: string; metadata: { name: string } };
      return [`${file}: ${value.kind} ${value.metadata.name}`, value] as const;
    }),
  );

/** What Go's decoder keeps of a manifest: `null` fields read as absent. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

describe('real manifests', () => {
  it('covers every built-in kind with at least one manifest', () => {
    const kinds = new Set(manifests.map(([, m]) => m.kind));
    expect([...kinds].sort()).toEqual(Object.keys(codecs).sort());
  });

  it.each(manifests)('%s decodes unchanged and round-trips through encode', (_, manifest) => {
    const codec = codecs[manifest.kind];
    const decoded = decode(codec, manifest, manifest.kind);
    expect(decoded).toEqual(withoutNulls(manifest));
    const wire = JSON.parse(JSON.stringify(codec.encode(decoded)));
    expect(decode(codec, wire, manifest.kind)).toEqual(decoded);
  });

  it.each(manifests)('%s has no field the schema does not know, so pruning drops nothing', (_, manifest) => {
    expect(unknownFields(manifest, schemaOf(codecs[manifest.kind]))).toEqual([]);
  });

  it('reads kubectl\'s null timestamps as absent, as Go does', () => {
    const pod = manifests.find(([, m]) => m.kind === 'Pod')![1] as unknown as {
      status: { conditions: Record<string, unknown>[] };
    };
    expect(pod.status.conditions[0].lastProbeTime).toBeNull();
    const decoded = decode(Pod, pod, 'Pod');
    expect(decoded.status!.conditions![0]).not.toHaveProperty('lastProbeTime');
  });

  it('gives typed access to the decoded fields', () => {
    const deployment = decode(Deployment, manifests.find(([, m]) => m.kind === 'Deployment')![1], 'Deployment');
    const web = deployment.spec!.template.spec!.containers[0];
    expect(web.ports!.map((p) => p.containerPort)).toEqual([8080, 9090, 8443]);
    expect(deployment.spec!.strategy!.rollingUpdate).toEqual({ maxUnavailable: 1, maxSurge: '25%' });
    expect(web.env!.find((e) => e.name === 'DATABASE_PASSWORD')!.valueFrom!.secretKeyRef).toEqual({ name: 'db-credentials', key: 'password' });
  });
});
