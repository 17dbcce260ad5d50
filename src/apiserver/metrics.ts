/**
 * Prometheus metrics of the API server, served on /metrics: requests by verb, resource and code,
 * their latency, open watchers, store latency by operation, and the process's own CPU, memory,
 * heap and GC figures.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();
// prom-client's names already start with process_ or nodejs_: berth_apiserver_process_resident_memory_bytes.
collectDefaultMetrics({ register: metricsRegistry, prefix: 'berth_apiserver_' });

export const requestMetrics = {
  total: new Counter({
    name: 'berth_apiserver_requests_total',
    help: 'API requests by verb, resource and HTTP code.',
    labelNames: ['verb', 'resource', 'subresource', 'code'] as const,
    registers: [metricsRegistry],
  }),
  duration: new Histogram({
    name: 'berth_apiserver_request_duration_seconds',
    help: 'API request latency (watches excluded) by verb and resource.',
    labelNames: ['verb', 'resource'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metricsRegistry],
  }),
};

export const watchMetrics = {
  watchers: new Gauge({
    name: 'berth_apiserver_watchers',
    help: 'Open watch streams by resource.',
    labelNames: ['resource'] as const,
    registers: [metricsRegistry],
  }),
};

export const storeMetrics = {
  duration: new Histogram({
    name: 'berth_apiserver_store_duration_seconds',
    help: 'Store operation latency by operation.',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metricsRegistry],
  }),
};
