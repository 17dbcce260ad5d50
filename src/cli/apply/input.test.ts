import { readInput } from './input';
import { explainWriteError } from './write-errors';
import { Invalid } from '../../api/errors';

describe('manifest input', () => {
  it('reads stdin once and keeps its text, so a server error can still name the line', () => {
    let reads = 0;
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\ndata:\n  a: 1\n';
    const input = readInput(['-'], false, () => {
      reads++;
      return text;
    });
    expect(input.manifests.map((m) => m.source)).toEqual([{ file: '<stdin>', document: 1, line: 1 }]);
    expect(input.text('<stdin>')).toBe(text);
    const invalid = new Invalid('ConfigMap "from-stdin" is invalid', { causes: [{ reason: 'FieldValueInvalid', field: 'data.a', message: 'Invalid value: 1: must be a string' }] });
    expect(explainWriteError(invalid, input.manifests[0], input).message).toBe('<stdin>:6 (document 1): ConfigMap "from-stdin": data.a: Invalid value: 1: must be a string');
    expect(reads).toBe(1);
  });

  it('asks for -f when none is given', () => {
    expect(() => readInput([], false)).toThrow('say which manifests with -f FILE, -f DIRECTORY or -f - (stdin)');
  });
});
