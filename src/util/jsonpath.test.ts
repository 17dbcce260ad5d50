import { evaluateJsonPath, JsonPathError, parseJsonPath } from './jsonpath';

const pod = {
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'nginx' }] },
  status: { conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }] },
};

describe('jsonpath', () => {
  it.each([
    ['.metadata.name', ['web']],
    ['{.metadata.name}', ['web']],
    ['.spec.containers[0].image', ['busybox']],
    ['.spec.containers[-1].name', ['b']],
    ['.spec.containers[*].image', ['busybox', 'nginx']],
    ['.status.conditions[?(@.type=="Ready")].status', ['False']],
    ['.status.conditions[?(@.type!="Ready")].type', ['PodScheduled']],
    [".metadata.labels['app.kubernetes.io/name']", ['web']],
    ['.spec.missing', []],
  ])('%s', (path, expected) => {
    expect(evaluateJsonPath(parseJsonPath(path), pod)).toEqual(expected);
  });

  it('says where a bad path fails', () => {
    expect(() => parseJsonPath('.spec.containers[0')).toThrow(JsonPathError);
    expect(() => parseJsonPath('.spec.containers[0')).toThrow(/at 16: unclosed \[/);
  });
});
