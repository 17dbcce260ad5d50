import { alignColumns, describeOptions, getTableOptions, TabWriter } from './tab-writer';

describe('tab writer (Go text/tabwriter semantics)', () => {
  it.each([
    ['pads every column to its widest cell plus padding, never the last cell', 'NAME\tREADY\tAGE\nweb\t1/1\t5s\n', 'NAME   READY   AGE\nweb    1/1     5s\n'],
    ['keeps narrow columns at the minimum width', 'A\tB\tC\n1\t2\t3\n', 'A     B     C\n1     2     3\n'],
    ['counts characters, not UTF-16 units', 'NAME\tX\nnaïve-€\t1\n', 'NAME      X\nnaïve-€   1\n'],
  ])('get tables: %s', (_, text, expected) => {
    expect(alignColumns(text, getTableOptions)).toBe(expected);
  });

  it('aligns each block of consecutive lines on its own: a line without a tab ends a block', () => {
    const text = 'Name:\tweb\nNamespace:\tdefault\nPod Template:\n  Labels:\tapp=web\n  Containers:\n';
    expect(alignColumns(text, describeOptions)).toBe('Name:       web\nNamespace:  default\nPod Template:\n  Labels:  app=web\n  Containers:\n');
  });

  it('aligns a nested column only across the lines that have it', () => {
    const text = 'Events:\n  Type\tReason\tAge\n  ----\t------\t---\n  Normal\tScaled\t5s\n';
    expect(alignColumns(text, describeOptions)).toBe('Events:\n  Type    Reason  Age\n  ----    ------  ---\n  Normal  Scaled  5s\n');
  });

  it('remembers widths across flushes and widens them when a later row needs it, as kubectl get -w', () => {
    const writer = new TabWriter(getTableOptions);
    writer.write('NAME\tREADY\nweb\t0/1\n');
    expect(writer.flush()).toBe('NAME   READY\nweb    0/1\n');
    writer.write('web\t1/1\n');
    expect(writer.flush()).toBe('web    1/1\n');
    writer.write('a-much-longer-name\t0/1\n');
    expect(writer.flush()).toBe('a-much-longer-name   0/1\n');
    writer.write('web\t1/1\n');
    expect(writer.flush()).toBe('web                  1/1\n');
  });
});
