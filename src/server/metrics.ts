import type { FastifyPluginAsync } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ACTIVE_RUN_STATUSES, WorkItemKind, type MetricsSnapshot } from '../store/port.js';
import type { ApiDeps, ApiOptions } from './api-deps.js';
import { errorBody } from './errors.js';
import { trackStepLatency } from './step-latency.js';

const DEFAULT_CACHE_MS = 5000;
const QUEUE_STATES = ['due', 'waiting', 'leased'] as const;

export interface Metrics {
  /** This process's registry (not prom-client's global one). */
  readonly registry: Registry;
  /** The text exposition format; rejects when the store does not answer. */
  render(): Promise<string>;
  /** Stops watching the engine. */
  close(): void;
}

/**
 * Baton's Prometheus metrics (docs/operations.md lists them): gauges read from the store (`metricsSnapshot`, one read
 * serving every scrape for `metricsCacheMs`), and step latencies and ended runs as this process's engine commits them.
 */
export function createMetrics(deps: ApiDeps, options: ApiOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const cacheMs = options.metricsCacheMs ?? DEFAULT_CACHE_MS;
  let cached: { at: number; snapshot: Promise<MetricsSnapshot> } | undefined;
  const snapshot = (): Promise<MetricsSnapshot> => {
    const now = deps.clock.now();
    if (cached && now - cached.at < cacheMs) return cached.snapshot;
    const read = deps.store.transact((tx) => tx.metricsSnapshot(now));
    cached = { at: now, snapshot: read };
    read.catch(() => {
      if (cached?.snapshot === read) cached = undefined;
    });
    return read;
  };
  new Gauge({
    name: 'baton_runs',
    help: 'Runs in flight (CREATED, IN_PROGRESS, PAUSED), by status, in the whole store',
    labelNames: ['status'],
    registers,
    async collect() {
      const { runs } = await snapshot();
      for (const status of ACTIVE_RUN_STATUSES) this.set({ status }, runs[status]);
    },
  });
  new Gauge({
    name: 'baton_queue_items',
    help: 'Work items in the store by kind and state: due (claimable now), waiting (due later), leased',
    labelNames: ['kind', 'state'],
    registers,
    async collect() {
      const { queue } = await snapshot();
      for (const kind of Object.values(WorkItemKind)) {
        const depth = queue.find((q) => q.kind === kind);
        for (const state of QUEUE_STATES) this.set({ kind, state }, depth?.[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'baton_queue_oldest_due_age_seconds',
    help: 'How long the oldest due work item of each kind has been due (0 when none is)',
    labelNames: ['kind'],
    registers,
    async collect() {
      const { queue } = await snapshot();
      const now = deps.clock.now();
      for (const kind of Object.values(WorkItemKind)) {
        const oldest = queue.find((q) => q.kind === kind)?.oldest_due_at;
        this.set({ kind }, oldest === undefined ? 0 : Math.max(0, now - oldest) / 1000);
      }
    },
  });
  const runsEnded = new Counter({
    name: 'baton_runs_ended_total',
    help: 'Runs that ended, by status, as committed by this process',
    labelNames: ['status'],
    registers,
  });
  const queued = new Histogram({
    name: 'baton_step_queued_seconds',
    help: 'From a step attempt becoming due (created, or its retry due) to its start, as committed by this process',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });
  const ran = new Histogram({
    name: 'baton_step_run_seconds',
    help: "From a step attempt's start to its end, by the status it ended with, as committed by this process",
    labelNames: ['status'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });
  const stop = trackStepLatency(deps.engine, {
    queued: (seconds) => queued.observe(seconds),
    ran: (seconds, status) => ran.observe({ status }, seconds),
    runEnded: (status) => runsEnded.inc({ status }),
  });
  return { registry, render: () => registry.metrics(), close: stop };
}

/** `GET /metrics`: the Prometheus text format; 503 when the store does not answer. */
export function metricsRoutes(deps: ApiDeps, options: ApiOptions = {}): FastifyPluginAsync {
  return async (app) => {
    const metrics = createMetrics(deps, options);
    app.addHook('onClose', async () => metrics.close());
    app.get(
      '/metrics',
      { schema: { tags: ['operations'], summary: 'Prometheus metrics' } },
      async (request, reply) => {
        let text: string;
        try {
          text = await metrics.render();
        } catch (error) {
          request.log.warn({ err: error }, 'metrics: the store did not answer');
          const message = `the store did not answer: ${error instanceof Error ? error.message : String(error)}`;
          return reply.status(503).send(errorBody(503, [{ code: 'STORE_UNAVAILABLE', message }]));
        }
        return reply.header('content-type', metrics.registry.contentType).send(text);
      },
    );
  };
}
