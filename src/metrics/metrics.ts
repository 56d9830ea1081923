import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Request durations: from a resolve's millisecond to a 5,000-label PDF's seconds. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Query durations: most statements take well under a millisecond. */
const DB_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

/**
 * Gauges that features report through `report(name, read)`. Declared here, so that a scrape shows
 * them (at 0) whether or not the feature that fills them runs in this process.
 */
export const GAUGES = {
  label_render_queue: 'label jobs waiting for a render worker',
  label_renders_running: 'label jobs a render worker is drawing',
  webhook_backlog: 'webhook deliveries not yet made (pending, waiting for a retry or paused)',
  sync_lag_seconds:
    'age of the oldest change of this site that a site it syncs with does not hold yet (0: all hold everything)',
} as const;
export type GaugeName = keyof typeof GAUGES;

/**
 * One server's Prometheus metrics, in a registry of its own (no process-wide state: two servers
 * in one process, as tests run them, count apart). Served by metrics-server.ts.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly sources = new Map<string, () => number | Promise<number>>();
  private readonly requests = new Counter({
    name: 'tracelot_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status class',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly requestSeconds = new Histogram({
    name: 'tracelot_http_request_duration_seconds',
    help: 'time to answer an HTTP request, by route template, method and status class',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  private readonly querySeconds = new Histogram({
    name: 'tracelot_db_query_duration_seconds',
    help: 'time the database took for each statement, by outcome',
    labelNames: ['outcome'] as const,
    buckets: DB_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    for (const [name, help] of Object.entries(GAUGES)) this.gauge(name, help);
  }

  /** Counts an answered request; `route` is the route's template (`/api/v1/lots/:code`). */
  request(route: string, method: string, statusCode: number, seconds: number): void {
    const labels = { route, method, status: `${Math.floor(statusCode / 100)}xx` };
    this.requests.inc(labels);
    this.requestSeconds.observe(labels, seconds);
  }

  /** Times one statement (Kysely's log hook gives its duration). */
  query(millis: number, failed: boolean): void {
    this.querySeconds.observe({ outcome: failed ? 'error' : 'ok' }, millis / 1000);
  }

  /**
   * Makes a declared gauge read `read()` at each scrape (the last report wins); a read that
   * fails (the database is away) shows NaN rather than failing the scrape.
   */
  report(name: GaugeName, read: () => number | Promise<number>): void {
    this.sources.set(name, read);
  }

  /** A further gauge `tracelot_<name>`, read from `read` (or reported later) at each scrape. */
  gauge(name: string, help: string, read?: () => number | Promise<number>): void {
    if (read) this.sources.set(name, read);
    const sources = this.sources;
    new Gauge({
      name: `tracelot_${name}`,
      help,
      registers: [this.registry],
      async collect() {
        const source = sources.get(name);
        this.set(
          source
            ? await Promise.resolve()
                .then(source)
                .catch(() => NaN)
            : 0,
        );
      },
    });
  }

  /** The text exposition format that Prometheus scrapes. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
