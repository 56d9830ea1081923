import autocannon from 'autocannon';

export interface LoadOptions {
  /** e.g. http://127.0.0.1:8123 */
  origin: string;
  /** Request paths, used in turn by every connection (many distinct URLs: no cache helps). */
  paths: string[];
  headers?: Record<string, string>;
  seconds: number;
  connections?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  seconds: number;
  /** Answers that were not 2xx, and connection errors or timeouts. */
  failures: number;
}

/** GET load with autocannon, in this process; the server under test runs in another one. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { paths } = options;
  let next = 0;
  const result = await autocannon({
    url: options.origin,
    connections: options.connections ?? 10,
    duration: options.seconds,
    headers: options.headers ?? {},
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    seconds: result.duration,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
