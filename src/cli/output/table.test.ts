import { asTable, Table, TablePrinter } from './table';

const table = (rows: Array<[string, string, string]>, withColumns = true): Table => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: { resourceVersion: '7' },
  columnDefinitions: withColumns
    ? [
        { name: 'Name', type: 'string', format: 'name', priority: 0 },
        { name: 'Ready', type: 'string', priority: 0 },
        { name: 'Images', type: 'string', priority: 1 },
      ]
    : [],
  rows: rows.map(([name, ready, images]) => ({ cells: [name, ready, images], object: { metadata: { name, namespace: 'shop', labels: { app: name, tier: 'web' } } } })),
});

describe('table printer (kubectl tableprinter rules)', () => {
  it('leaves out priority columns unless wide, upper-cases headers', () => {
    expect(new TablePrinter().print(table([['web', '1/1', 'nginx']]))).toBe('NAME   READY\nweb    1/1\n');
    expect(new TablePrinter({ wide: true }).print(table([['web', '1/1', 'nginx']]))).toBe('NAME   READY   IMAGES\nweb    1/1     nginx\n');
  });

  it('adds NAMESPACE first, LABELS last (sorted key=value), and kind/ before names', () => {
    const out = new TablePrinter({ withNamespace: true, showLabels: true, kindPrefix: 'deployment.apps' }).print(table([['web', '1/1', 'x']]));
    expect(out).toBe('NAMESPACE   NAME                  READY   LABELS\nshop        deployment.apps/web   1/1     app=web,tier=web\n');
  });

  it('prints nothing for no rows, headers once, and rows of later tables without columns under them', () => {
    const printer = new TablePrinter();
    expect(printer.print(table([]))).toBe('');
    expect(printer.print(table([['web', '0/1', 'x']]))).toBe('NAME   READY\nweb    0/1\n');
    expect(printer.print(table([['web', '1/1', 'x']], false))).toBe('web    1/1\n');
  });

  it('cuts a cell at its first line break, as kubectl does', () => {
    expect(new TablePrinter({ noHeaders: true }).print(table([['web', 'line one\nline two', 'x']]))).toBe('web   line one...\n');
  });

  it('makes NAME and AGE of a server answer that is not a Table', () => {
    const list = { kind: 'PodList', metadata: { resourceVersion: '9' }, items: [{ metadata: { name: 'a', creationTimestamp: new Date(Date.now() - 65_000).toISOString() } }] };
    const converted = asTable(list);
    expect(converted.metadata?.resourceVersion).toBe('9');
    expect(new TablePrinter().print(converted)).toBe('NAME   AGE\na      65s\n');
  });
});
