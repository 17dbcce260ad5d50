import { BadRequest, UnsupportedMediaType } from '../../src/api/errors';
import { decodeProtobufBody } from '../../src/apiserver/protobuf';
import { entry, envelope, Field, message, num, str, sub, varint } from './encode';

const meta = (name: string, extra: Field[] = []): Field => sub(1, [str(1, name), ...extra]);

function thrown(body: Buffer): Error {
  try {
    decodeProtobufBody(body);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the body to be rejected');
}

describe('decodeProtobufBody: object metadata', () => {
  it('decodes every ObjectMeta field into its JSON form, dropping empty strings as omitempty does', () => {
    const body = envelope('v1', 'ConfigMap', [
      meta('c', [
        str(2, ''),
        str(3, 'default'),
        str(5, 'u-1'),
        str(6, '42'),
        num(7, 3),
        sub(8, [num(1, 1704067200), num(2, 999)]),
        sub(9, [num(1, 1704067260)]),
        num(10, 0),
        entry(11, 'app', 'web'),
        entry(11, 'tier', 'front'),
        entry(12, 'note', ''),
        sub(13, [str(5, 'apps/v1'), str(1, 'ReplicaSet'), str(3, 'web-1'), str(4, 'u-0'), num(6, true), num(7, false)]),
        str(14, 'a/b'),
        str(14, 'c/d'),
        sub(17, [str(1, 'kubectl'), str(2, 'Update'), str(3, 'v1'), sub(4, [num(1, 1704067200)]), str(6, 'FieldsV1'), sub(7, [str(1, '{"f:data":{}}')])]),
      ]),
    ]);
    expect(decodeProtobufBody(body)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c',
        namespace: 'default',
        uid: 'u-1',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2024-01-01T00:00:00Z',
        deletionTimestamp: '2024-01-01T00:01:00Z',
        deletionGracePeriodSeconds: 0,
        labels: { app: 'web', tier: 'front' },
        annotations: { note: '' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u-0', controller: true, blockOwnerDeletion: false }],
        finalizers: ['a/b', 'c/d'],
        managedFields: [
          { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
        ],
      },
    });
  });

  it('writes an empty Time (Go zero time) as null, like the JSON encoding', () => {
    const decoded = decodeProtobufBody(envelope('v1', 'Namespace', [meta('ns', [sub(8, [])])]));
    expect(decoded.metadata).toEqual({ name: 'ns', creationTimestamp: null });
  });

  it('gives an object metadata even when the body has none', () => {
    expect(decodeProtobufBody(envelope('v1', 'Namespace', []))).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: {} });
  });
});

describe('decodeProtobufBody: kinds', () => {
  it('decodes a ConfigMap with binaryData as base64', () => {
    const body = envelope('v1', 'ConfigMap', [meta('c'), num(4, true), entry(2, 'a', 'b'), sub(3, [str(1, 'bin'), { n: 2, bytes: Buffer.from([0, 255, 1]) }])]);
    expect(decodeProtobufBody(body)).toMatchObject({ immutable: true, data: { a: 'b' }, binaryData: { bin: 'AP8B' } });
  });

  it('decodes a Lease with microsecond times and keeps its pointer fields when zero', () => {
    const body = envelope('coordination.k8s.io/v1', 'Lease', [
      meta('controller', [str(3, 'kube-system')]),
      sub(2, [str(1, 'node-a'), num(2, 0), sub(3, [num(1, 1704067200), num(2, 123456789)]), sub(4, [num(1, 1704067201), num(2, 5000)]), num(5, 0)]),
    ]);
    expect(decodeProtobufBody(body)).toEqual({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'controller', namespace: 'kube-system' },
      spec: {
        holderIdentity: 'node-a',
        leaseDurationSeconds: 0,
        acquireTime: '2024-01-01T00:00:00.123456Z',
        renewTime: '2024-01-01T00:00:01.000005Z',
        leaseTransitions: 0,
      },
    });
  });

  it('decodes a Scale: spec.replicas 0 is omitted (omitempty), status.replicas 0 is kept', () => {
    const body = envelope('autoscaling/v1', 'Scale', [meta('web'), sub(2, [num(1, 0)]), sub(3, [num(1, 0), str(2, 'app=web')])]);
    expect(decodeProtobufBody(body)).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web' },
      spec: {},
      status: { replicas: 0, selector: 'app=web' },
    });
  });

  it('decodes DeleteOptions under any apiVersion, without metadata', () => {
    const options: Field[] = [num(1, 0), sub(2, [str(1, 'u-1')]), str(4, 'Foreground'), str(5, 'All')];
    const expected = { gracePeriodSeconds: 0, preconditions: { uid: 'u-1' }, propagationPolicy: 'Foreground', dryRun: ['All'] };
    expect(decodeProtobufBody(envelope('meta.k8s.io/v1', 'DeleteOptions', options))).toEqual({ apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', ...expected });
    expect(decodeProtobufBody(envelope('apps/v1', 'DeleteOptions', options))).toEqual({ apiVersion: 'apps/v1', kind: 'DeleteOptions', ...expected });
  });

  it('decodes an Eviction with its DeleteOptions', () => {
    const body = envelope('policy/v1', 'Eviction', [meta('web-1', [str(3, 'default')]), sub(2, [num(1, 30)])]);
    expect(decodeProtobufBody(body)).toEqual({
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'web-1', namespace: 'default' },
      deleteOptions: { gracePeriodSeconds: 30 },
    });
  });

  it('decodes a Pod spec in depth: inline structs, int-or-string, quantities, pointers, packed lists', () => {
    const container: Field[] = [
      str(1, 'app'),
      str(2, 'nginx:1.27'),
      sub(6, [num(3, 8080), str(1, 'http'), str(4, 'TCP')]),
      sub(7, [str(1, 'TOKEN'), sub(3, [sub(4, [sub(1, [str(1, 'creds')]), str(2, 'token'), num(3, false)])])]),
      sub(19, [str(1, 'CFG_'), sub(2, [sub(1, [str(1, 'settings')])])]),
      sub(8, [entry(1, 'cpu', [str(1, '500m')]), entry(2, 'memory', [str(1, '64Mi')])]),
      sub(9, [str(1, 'data'), str(3, '/data'), num(2, true)]),
      sub(11, [sub(1, [sub(2, [str(1, '/healthz'), sub(2, [num(1, 1), str(3, 'http')])])]), num(2, 5), num(4, 0)]),
      sub(10, [sub(1, [sub(3, [sub(1, [num(1, 0), num(2, 8080)])])])]),
      sub(15, [num(4, 0), num(2, false), sub(1, [str(2, 'ALL')])]),
    ];
    const spec: Field[] = [
      sub(1, [str(1, 'data'), sub(2, [sub(2, [str(1, 'Memory'), sub(2, [str(1, '1Gi')])])])]),
      sub(1, [str(1, 'cfg'), sub(2, [sub(19, [sub(1, [str(1, 'settings')]), num(3, 420)])])]),
      sub(2, container),
      str(3, 'Always'),
      num(4, 30),
      num(5, -1),
      sub(14, [num(2, 1000), { n: 4, bytes: Buffer.concat([varint(10), varint(20)]) }, num(4, 30)]),
      sub(22, [str(1, 'dedicated'), str(2, 'Equal'), str(3, 'gpu'), str(4, 'NoExecute'), num(5, 300)]),
      sub(18, [sub(1, [sub(1, [sub(1, [sub(1, [str(1, 'zone'), str(2, 'In'), str(3, 'a'), str(3, 'b')])])])])]),
      entry(7, 'disk', 'ssd'),
      num(11, false),
    ];
    const body = envelope('v1', 'Pod', [meta('web-1'), sub(2, spec), sub(3, [str(1, 'Running'), sub(7, [num(1, 1704067200), num(2, 5)])])]);
    expect(decodeProtobufBody(body)).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1' },
      spec: {
        volumes: [
          { name: 'data', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
          { name: 'cfg', configMap: { name: 'settings', defaultMode: 420 } },
        ],
        containers: [
          {
            name: 'app',
            image: 'nginx:1.27',
            ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings' } }],
            env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token', optional: false } } }],
            resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi' } },
            volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
            livenessProbe: { tcpSocket: { port: 8080 } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5 },
            securityContext: { capabilities: { drop: ['ALL'] }, privileged: false, runAsUser: 0 },
          },
        ],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        activeDeadlineSeconds: -1,
        nodeSelector: { disk: 'ssd' },
        securityContext: { runAsUser: 1000, supplementalGroups: [10, 20, 30] },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }],
            },
          },
        },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoExecute', tolerationSeconds: 300 }],
      },
      status: { phase: 'Running', startTime: '2024-01-01T00:00:00Z' },
    });
  });

  it('skips fields it has no table entry for, of every wire type', () => {
    const unknown: Field[] = [
      num(900, 7),
      str(901, 'x'),
      { n: 902, fixed64: Buffer.alloc(8) },
      { n: 903, fixed32: Buffer.alloc(4) },
    ];
    const body = envelope('v1', 'Namespace', [...unknown, meta('ns', unknown), sub(2, [str(1, 'kubernetes'), ...unknown])], unknown);
    expect(decodeProtobufBody(body)).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' }, spec: { finalizers: ['kubernetes'] } });
  });

  it('merges a message field that occurs twice and keeps the last scalar', () => {
    const body = envelope('apps/v1', 'Deployment', [meta('a'), sub(2, [num(1, 1), num(5, 3)]), sub(2, [num(1, 2)])]);
    expect(decodeProtobufBody(body).spec).toEqual({ replicas: 2, minReadySeconds: 3 });
  });
});

describe('decodeProtobufBody: rejected bodies', () => {
  it('rejects a body without the k8s magic', () => {
    const error = thrown(Buffer.from('{"kind":"Namespace"}'));
    expect(error).toBeInstanceOf(BadRequest);
    expect(error.message).toBe('a application/vnd.kubernetes.protobuf body must start with the bytes "k8s\\x00"');
  });

  it('names a kind it has no table for with 415', () => {
    const error = thrown(envelope('apps/v1', 'StatefulSet', [meta('db')]));
    expect(error).toBeInstanceOf(UnsupportedMediaType);
    expect(error.message).toBe('the protobuf encoding of apps/v1 StatefulSet is not supported; send it as application/json');
  });

  it('refuses an encoded (compressed) payload with 415', () => {
    const error = thrown(envelope('v1', 'Namespace', [meta('ns')], [str(3, 'gzip')]));
    expect(error).toBeInstanceOf(UnsupportedMediaType);
    expect(error.message).toMatch(/contentEncoding "gzip"/);
  });

  it('rejects an envelope that names no kind', () => {
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), message([sub(1, [str(1, 'v1')])])]);
    expect(thrown(body).message).toBe('the protobuf body names no kind in its typeMeta');
  });

  it('reports a field of the wrong wire type with its path and offset', () => {
    const body = envelope('apps/v1', 'Deployment', [meta('a'), sub(2, [str(1, 'three')])]);
    const error = thrown(body);
    expect(error).toBeInstanceOf(BadRequest);
    const offset = body.indexOf(Buffer.from('three')) - 2;
    expect(error.message).toBe(
      `malformed protobuf body: field Deployment.spec.replicas (number 1) is length-delimited, expected varint at offset ${offset} (in Deployment.spec)`,
    );
  });

  it('reports a nested length that runs past its message', () => {
    const spec = message([str(1, 'abc')]);
    spec[1] = 50; // the string claims 50 bytes inside a 5-byte spec
    const body = envelope('v1', 'Namespace', [{ n: 2, bytes: spec }]);
    const error = thrown(body);
    expect(error).toBeInstanceOf(BadRequest);
    expect(error.message).toMatch(/^malformed protobuf body: length-delimited field of 50 bytes runs past the end of its message at offset \d+ \(in Namespace\.spec\)$/);
  });

  it('rejects managedFields whose FieldsV1 is not JSON', () => {
    const body = envelope('v1', 'Namespace', [meta('ns', [sub(17, [sub(7, [str(1, '{not json')])])])]);
    expect(thrown(body).message).toMatch(/FieldsV1 that is not JSON at offset \d+ \(in Namespace\.metadata\.managedFields\[0\]\.fieldsV1\)/);
  });

  it('rejects a timestamp beyond year 9999', () => {
    const body = envelope('v1', 'Namespace', [meta('ns', [sub(8, [num(1, 253402300800n)])])]);
    expect(thrown(body).message).toMatch(/timestamp 253402300800s 0ns is outside years 1 to 9999 .*\(in Namespace\.metadata\.creationTimestamp\)/);
  });

  it('rejects a varint longer than 10 bytes and a length beyond 2^31', () => {
    const spec = Buffer.concat([Buffer.from([0x08]), Buffer.alloc(11, 0xff), Buffer.from([0x01])]);
    const body = envelope('apps/v1', 'Deployment', [{ n: 2, bytes: spec }]);
    expect(thrown(body).message).toMatch(/^malformed protobuf body: varint longer than 10 bytes at offset \d+ \(in Deployment\.spec\)$/);
    const huge = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x12]), varint(2n ** 32n)]);
    expect(thrown(huge).message).toBe('malformed protobuf body: length 4294967296 is too large at offset 5 (in Unknown)');
  });

  it('rejects group wire types and field number 0', () => {
    const group = Buffer.concat([Buffer.from('k8s\0', 'latin1'), varint((5 << 3) | 3)]);
    expect(thrown(group).message).toBe('malformed protobuf body: unsupported wire type 3 (start-group) at offset 4 (in Unknown)');
    const zero = Buffer.concat([Buffer.from('k8s\0', 'latin1'), varint(0)]);
    expect(thrown(zero).message).toBe('malformed protobuf body: field number 0 at offset 4 (in Unknown)');
  });
});
