/**
 * Prometheus metrics of the controller runtime, in their own registry (`controllerRegistry`), with
 * controller-runtime's names under a `berth_` prefix:
 *
 *   berth_workqueue_depth{name}                     keys waiting
 *   berth_workqueue_adds_total{name}                keys added
 *   berth_workqueue_retries_total{name}             keys re-added with backoff
 *   berth_controller_reconcile_total{controller,result}   success | error | terminal_error | requeue_after
 *   berth_controller_reconcile_errors_total{controller}
 *   berth_controller_reconcile_time_seconds{controller}   histogram
 *   berth_leader_election_master_status{name}       1 while this process leads
 *   berth_events_dropped_total{component,reason}    events the recorder dropped: rate_limit | queue_full
 *   berth_controllers_process_*, _nodejs_*          CPU, resident memory, heap, GC, event loop lag
 *
 * `serveMetrics(port)` serves a registry on /metrics (and /healthz) for Prometheus to scrape; the
 * process figures are collected from the first time it does (a CLI command that never serves
 * metrics does not pay for them).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueObserver } from './work-queue';

export const controllerRegistry = new Registry();

export const queueMetrics = {
  depth: new Gauge({ name: 'berth_workqueue_depth', help: 'Keys waiting in the work queue.', labelNames: ['name'] as const, registers: [controllerRegistry] }),
  adds: new Counter({ name: 'berth_workqueue_adds_total', help: 'Keys added to the work queue.', labelNames: ['name'] as const, registers: [controllerRegistry] }),
  retries: new Counter({ name: 'berth_workqueue_retries_total', help: 'Keys re-added with backoff after a failure.', labelNames: ['name'] as const, registers: [controllerRegistry] }),
};

export const reconcileMetrics = {
  total: new Counter({
    name: 'berth_controller_reconcile_total',
    help: 'Reconciles by controller and result (success, error, terminal_error, requeue_after).',
    labelNames: ['controller', 'result'] as const,
    registers: [controllerRegistry],
  }),
  errors: new Counter({ name: 'berth_controller_reconcile_errors_total', help: 'Reconciles that failed, by controller.', labelNames: ['controller'] as const, registers: [controllerRegistry] }),
  time: new Histogram({
    name: 'berth_controller_reconcile_time_seconds',
    help: 'How long reconciles take, by controller.',
    labelNames: ['controller'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [controllerRegistry],
  }),
};

export const leaderMetrics = {
  leading: new Gauge({ name: 'berth_leader_election_master_status', help: '1 while this process holds the lease.', labelNames: ['name'] as const, registers: [controllerRegistry] }),
};

export const eventMetrics = {
  dropped: new Counter({
    name: 'berth_events_dropped_total',
    help: 'Events not written: past the per-object rate limit, or with the write queue full.',
    labelNames: ['component', 'reason'] as const,
    registers: [controllerRegistry],
  }),
};

/** Feeds a named work queue's metrics. */
export function queueObserver(name: string): QueueObserver {
  return {
    added: () => queueMetrics.adds.inc({ name }),
    depth: (depth) => queueMetrics.depth.set({ name }, depth),
    retried: () => queueMetrics.retries.inc({ name }),
  };
}

export interface MetricsEndpoint {
  url: string;
  close(): Promise<void>;
}

/** Serves `registry` on http://host:port/metrics (port 0 picks a free one). */
export async function serveMetrics(port: number, host = '127.0.0.1', registry: Registry = controllerRegistry): Promise<MetricsEndpoint> {
  if (!registry.getSingleMetric('berth_controllers_process_resident_memory_bytes')) collectDefaultMetrics({ register: registry, prefix: 'berth_controllers_' });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': registry.contentType });
          res.end(text);
        },
        (e: Error) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`metrics failed: ${e.message}`);
        },
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found: try /metrics');
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
