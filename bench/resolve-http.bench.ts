/**
 * Resolve over HTTP with API-key auth on 1,000,000 lots, against a bare fastify route doing the
 * same lookup with a bare prepared statement. Both servers run in a child process; autocannon
 * runs here, cycling through many distinct existing codes.
 */
import path from 'node:path';
import type { Benchmark } from './support/benchmark.js';
import { DATASET_LOTS } from './support/benchmark.js';
import { lotsDataset, sampleLots } from './support/dataset.js';
import { runLoad, type LoadResult } from './support/load.js';
import { TRACELOT_BIN } from './support/paths.js';
import { freePort, spawnNode, waitForOk, type Child } from './support/processes.js';
import {
  latency,
  line,
  perSecond,
  printOutcome,
  progress,
  share,
  times,
  type Outcome,
} from './support/report.js';
import { median } from './support/timing.js';
import { cpuSeconds } from './support/cpu.js';

const SAMPLE = 100_000;
const WARMUP_SECONDS = 3;
const ROUNDS = 4;
const SLICE_SECONDS = 4;
const CONNECTIONS = 10;
const MIN_SHARE = 0.5;
const MAX_P99_MS = 10;

export interface Server {
  label: string;
  origin: string;
  child: Child;
  /** Path of the resolve route for a code or prefix. */
  path(q: string): string;
  headers: Record<string, string>;
}

export const resolveHttp: Benchmark = {
  name: 'resolve-http',
  description: `GET /api/v1/resolve with an API key on ${DATASET_LOTS.toLocaleString('en-US')} lots vs a bare fastify + better-sqlite3 route`,
  needsServerBuild: true,
  async run() {
    const dataset = await lotsDataset(DATASET_LOTS);
    const sample = sampleLots(dataset, SAMPLE);
    const modes = [
      { mode: 'full code', queries: sample.codes },
      { mode: '8-char prefix', queries: sample.prefixes },
    ];
    const results = new Map<string, Combined>();

    // Both servers stay up; the load alternates between them in slices, so that a neighbour's
    // load on the machine falls on both alike.
    const servers: Server[] = [];
    try {
      servers.push(
        await startServer({
          label: 'floor',
          args: (port) => [
            '--import',
            'tsx',
            path.join('bench', 'support', 'floor-server.ts'),
            dataset.file,
            String(port),
          ],
          health: '/health',
          path: (q) => `/resolve?q=${encodeURIComponent(q)}`,
          headers: {},
        }),
      );
      servers.push(
        await startServer({
          label: 'tracelot',
          args: (port) => [TRACELOT_BIN, 'serve', '--port', String(port), '--data', dataset.dir],
          health: '/api/health',
          path: (q) => `/api/v1/resolve?q=${encodeURIComponent(q)}`,
          headers: { authorization: `Bearer ${dataset.apiKey}` },
        }),
      );
      for (const { mode, queries } of modes) {
        const slices = new Map<Server, Slice[]>(servers.map((s) => [s, []]));
        const paths = new Map(servers.map((s) => [s, queries.map(s.path)]));
        const load = async (server: Server, seconds: number): Promise<Slice> => {
          const cpuBefore = cpuSeconds(server.child.process.pid);
          const result = await runLoad({
            origin: server.origin,
            paths: paths.get(server)!,
            headers: server.headers,
            seconds,
            connections: CONNECTIONS,
          });
          const cpuAfter = cpuSeconds(server.child.process.pid);
          const cpu =
            cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
          return { ...result, cpu };
        };
        for (const server of servers) {
          await checkAnswer(server, server.path(queries[0]!), queries[0]!);
          progress(`${server.label} ${mode}: warming up ${WARMUP_SECONDS} s`);
          await load(server, WARMUP_SECONDS);
        }
        progress(`${mode}: ${ROUNDS} rounds of ${SLICE_SECONDS} s per server`);
        for (let round = 0; round < ROUNDS; round++) {
          for (const server of servers) slices.get(server)!.push(await load(server, SLICE_SECONDS));
        }
        for (const server of servers) {
          const result = combine(slices.get(server)!);
          if (result.failures > 0) {
            throw new Error(
              `${server.label} ${mode}: ${result.failures} of ${result.total} requests failed (not 2xx)`,
            );
          }
          results.set(`${server.label} ${mode}`, result);
          line(
            `  ${`${server.label}, ${mode}:`.padEnd(26)} ${perSecond(result.requestsPerSecond).padStart(10)}  p50 ${latency(result.p50)}  p99 ${latency(result.p99)} (worst slice ${latency(result.worstP99)})${result.cpuPerRequest === undefined ? '' : `  server CPU ${Math.round(result.cpuPerRequest)} µs/request`}  ${result.total.toLocaleString('en-US')} requests, ${CONNECTIONS} connections`,
          );
        }
      }
    } finally {
      for (const server of servers) await server.child.stop();
    }

    const outcomes: Outcome[] = [];
    for (const { mode } of modes) {
      const floor = results.get(`floor ${mode}`)!;
      const real = results.get(`tracelot ${mode}`)!;
      outcomes.push(
        {
          name: `resolve-http ${mode}: throughput`,
          figure: perSecond(real.requestsPerSecond),
          floor: perSecond(floor.requestsPerSecond),
          ratio: share(real.requestsPerSecond, floor.requestsPerSecond),
          target: `≥ ${MIN_SHARE * 100} % of floor`,
          met: real.requestsPerSecond >= MIN_SHARE * floor.requestsPerSecond,
        },
        {
          name: `resolve-http ${mode}: p99 latency`,
          figure: latency(real.p99),
          floor: latency(floor.p99),
          ratio: times(Math.max(real.p99, 1), Math.max(floor.p99, 1)),
          target: `< ${MAX_P99_MS} ms`,
          met: real.p99 < MAX_P99_MS,
        },
      );
      if (real.cpuPerRequest !== undefined && floor.cpuPerRequest !== undefined) {
        outcomes.push({
          name: `  (server CPU per request)`,
          figure: `${Math.round(real.cpuPerRequest)} µs`,
          floor: `${Math.round(floor.cpuPerRequest)} µs`,
          ratio: times(real.cpuPerRequest, floor.cpuPerRequest),
          target: '-',
          met: undefined,
        });
      }
    }
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};

/** Spawns a server on a free port and waits for its health route; stops it if it fails. */
export async function startServer(spec: {
  label: string;
  args: (port: number) => string[];
  health: string;
  path: (q: string) => string;
  headers: Record<string, string>;
}): Promise<Server> {
  const port = await freePort();
  const child = spawnNode(spec.args(port));
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(origin + spec.health, child);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { label: spec.label, origin, child, path: spec.path, headers: spec.headers };
}

interface Slice extends LoadResult {
  /** CPU seconds the server used during the slice (Linux), undefined elsewhere. */
  cpu: number | undefined;
}

interface Combined extends LoadResult {
  worstP99: number;
  /** Server CPU time per request in µs: robust to other programs sharing the machine. */
  cpuPerRequest: number | undefined;
}

/** Slices of one server: throughput over all of them, the median slice's latency percentiles. */
function combine(slices: Slice[]): Combined {
  const total = slices.reduce((sum, s) => sum + s.total, 0);
  const cpu = slices.every((s) => s.cpu !== undefined)
    ? slices.reduce((sum, s) => sum + s.cpu!, 0)
    : undefined;
  const seconds = slices.reduce((sum, s) => sum + s.seconds, 0);
  return {
    requestsPerSecond: total / seconds,
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    worstP99: Math.max(...slices.map((s) => s.p99)),
    total,
    seconds,
    failures: slices.reduce((sum, s) => sum + s.failures, 0),
    cpuPerRequest: cpu === undefined ? undefined : (cpu / total) * 1e6,
  };
}

/** One request before the load: a server answering 401 or 404 fast would measure nothing. */
async function checkAnswer(server: Server, requestPath: string, query: string): Promise<void> {
  const response = await fetch(server.origin + requestPath, { headers: server.headers });
  const body = await response.text();
  if (response.status !== 200 || !body.includes(query)) {
    throw new Error(`${server.label} ${requestPath}: answered ${response.status} ${body}`);
  }
}
