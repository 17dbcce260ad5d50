/**
 * Watch streams whose objects are Tables: what `get -w` asks for with kubectl's Table Accept
 * header, so each event arrives as a one-row table the server printed (the first with columns,
 * the rest without).
 */
import { errorFromStatus, Status } from '../../api/errors';
import { jsonLines } from '../../client';
import type { Client } from '../../client';
import type { Query } from '../../client/api-client';
import { asTable, Table, tableAccept } from './table';

export interface TableEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  table: Table;
}

/** Events until `signal` aborts or the server ends the stream; an ERROR event is thrown as its error. */
export async function* watchTables(client: Client, path: string, query: Query, signal: AbortSignal): AsyncGenerator<TableEvent> {
  let res;
  try {
    res = await client.api.stream('GET', path, { query: { ...query, watch: 'true' }, accept: tableAccept, signal });
  } catch (e) {
    if (signal.aborted) return;
    throw e;
  }
  try {
    for await (const line of jsonLines(res)) {
      const event = JSON.parse(line) as { type?: string; object?: unknown };
      if (event.type === 'ERROR') {
        const status = (event.object ?? {}) as Partial<Status>;
        throw errorFromStatus(status.code ?? 500, status);
      }
      if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') continue;
      yield { type: event.type, table: asTable(event.object) };
    }
  } catch (e) {
    if (signal.aborted) return;
    throw e;
  } finally {
    res.destroy();
  }
}
