import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManifestError, parseManifests, readManifests } from './manifests';

const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
`;

describe('manifests', () => {
  it('reads several YAML documents with the line each starts on', () => {
    const text = `${deploy}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n`;
    const manifests = parseManifests(text, 'app.yaml');
    expect(manifests.map((m) => [m.object.kind, m.source.document, m.source.line])).toEqual([
      ['Deployment', 1, 1],
      ['Service', 2, 8],
    ]);
  });

  it('skips empty documents and reads JSON', () => {
    const manifests = parseManifests(`---\n---\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}\n`, 'c.json');
    expect(manifests).toHaveLength(1);
    expect(manifests[0].object.metadata.name).toBe('c');
  });

  it('unpacks a List into its items, each with its own line', () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: b}
`;
    expect(parseManifests(text, 'l.yaml').map((m) => [m.object.metadata.name, m.source.line])).toEqual([
      ['a', 4],
      ['b', 7],
    ]);
  });

  it('says file, line and column for YAML that does not parse', () => {
    const text = `${deploy}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n`;
    expect(() => parseManifests(text, 'bad.yaml')).toThrow(ManifestError);
    expect(() => parseManifests(text, 'bad.yaml')).toThrow(/^bad\.yaml:\d+:\d+ \(document 2\): not valid YAML/);
  });

  it('says which document lacks kind, apiVersion or a name', () => {
    expect(() => parseManifests(`${deploy}---\napiVersion: v1\nmetadata:\n  name: x\n`, 'm.yaml')).toThrow('m.yaml:8 (document 2): kind is missing');
    expect(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', 'n.yaml')).toThrow('n.yaml:1 (document 1): ConfigMap: metadata.name is missing');
    expect(() => parseManifests('- a\n- b\n', 'arr.yaml')).toThrow(/must be an object/);
  });

  it('rejects duplicate keys instead of silently keeping one', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: x}\n', 'dup.yaml')).toThrow(/dup\.yaml:3/);
  });

  it('reads a directory in name order, recursively with -R, namespaces and CRDs first', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-manifests-'));
    fs.writeFileSync(path.join(dir, 'a-deploy.yaml'), deploy);
    fs.writeFileSync(path.join(dir, 'b-ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'crd.yaml'), 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\n');
    expect(readManifests([dir]).map((m) => m.object.kind)).toEqual(['Namespace', 'Deployment']);
    expect(readManifests([dir], { recursive: true }).map((m) => m.object.kind)).toEqual(['Namespace', 'CustomResourceDefinition', 'Deployment']);
    fs.rmSync(dir, { recursive: true });
  });

  it('names a missing file', () => {
    expect(() => readManifests(['/no/such/file.yaml'])).toThrow('/no/such/file.yaml: no such file or directory');
  });
});
