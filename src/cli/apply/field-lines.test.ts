import { lineOfField, parseFieldPath } from './field-lines';

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: web
        image: busybox
      - name: side
        ports:
        - containerPort: 80
`;

describe('field paths to manifest lines', () => {
  it.each([
    ['spec.template.spec.containers[0].image', ['spec', 'template', 'spec', 'containers', 0, 'image']],
    ['.spec.replicas', ['spec', 'replicas']],
    ['metadata.labels[app.kubernetes.io/name]', ['metadata', 'labels', 'app.kubernetes.io/name']],
    ['spec.ports[1].port', ['spec', 'ports', 1, 'port']],
  ])('parses %s', (path, segments) => {
    expect(parseFieldPath(path)).toEqual(segments);
  });

  it.each([
    ['spec.replicas', 8],
    ['spec.template.spec.containers[0].image', 13],
    ['spec.template.spec.containers[1]', 14],
    ['spec.template.spec.containers[1].ports[0].containerPort', 16],
    ['metadata.labels[app.kubernetes.io/name]', 6],
    // Missing fields point at their nearest ancestor the manifest has.
    ['spec.template.spec.containers[1].image', 14],
    ['spec.selector', 7],
    ['status', 1],
  ])('finds %s on line %i', (path, line) => {
    expect(lineOfField(manifest, { file: 'd.yaml', document: 1, line: 1 }, parseFieldPath(path))).toBe(line);
  });

  it('looks in the right document and in the right item of a List', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: b\n  spec:\n    ports: []\n`;
    expect(lineOfField(text, { file: 'l.yaml', document: 2, line: 11 }, ['spec', 'ports'])).toBe(16);
    expect(lineOfField(text, { file: 'l.yaml', document: 2, line: 8 }, ['metadata', 'name'])).toBe(10);
  });

  it('reads JSON manifests too', () => {
    const text = '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p"},\n  "spec": {\n    "containers": [{"name": "c"}]\n  }\n}\n';
    expect(lineOfField(text, { file: 'p.json', document: 1, line: 1 }, ['spec', 'containers', 0, 'image'])).toBe(6);
  });
});
