/**
 * Resolve over HTTP while a viewer prints big label PDFs: the p99 latency of GET /api/v1/resolve
 * on `tracelot serve` alone (the floor) and while four 5,000-label PDFs are drawn at all times
 * (a finished one is requested again at once). Labels are drawn in worker threads, so the request
 * thread keeps answering. Target (issue 9): p99 under the renders < 50 ms.
 */
import { readFileSync } from 'node:fs';
import type { Benchmark } from './support/benchmark.js';
import { lotsDataset, sampleLots } from './support/dataset.js';
import { runLoad, type LoadResult } from './support/load.js';
import { TRACELOT_BIN } from './support/paths.js';
import {
  latency,
  line,
  perSecond,
  printOutcome,
  progress,
  type Outcome,
} from './support/report.js';
import { startServer, type Server } from './resolve-http.bench.js';

const LOTS = 100_000;
const RENDERS = 4;
const LABELS = 5_000;
const SECONDS = 10;
const CONNECTIONS = 10;
const MAX_P99_MS = 50;

export const labelsLoad: Benchmark = {
  name: 'labels-load',
  description: `resolve p99 on tracelot serve alone and while ${RENDERS} PDFs of ${LABELS.toLocaleString('en-US')} labels are drawn`,
  needsServerBuild: true,
  async run() {
    const dataset = await lotsDataset(LOTS);
    const sample = sampleLots(dataset, LABELS * 2);
    const server = await startServer({
      label: 'tracelot',
      args: (port) => [TRACELOT_BIN, 'serve', '--port', String(port), '--data', dataset.dir],
      health: '/api/health',
      path: (q) => `/api/v1/resolve?q=${encodeURIComponent(q)}`,
      headers: { authorization: `Bearer ${dataset.apiKey}` },
    });
    const paths = sample.codes.map(server.path);
    const load = () =>
      runLoad({
        origin: server.origin,
        paths,
        headers: server.headers,
        seconds: SECONDS,
        connections: CONNECTIONS,
      });
    let alone: LoadResult;
    let loaded: LoadResult;
    let printed = 0;
    try {
      progress(`warming up, then resolve alone for ${SECONDS} s`);
      await runLoad({ origin: server.origin, paths, headers: server.headers, seconds: 3 });
      alone = await load();
      progress(`resolve for ${SECONDS} s while ${RENDERS} PDFs are drawn`);
      let stop = false;
      const printer = async (i: number) => {
        const codes = sample.codes.slice((i % 2) * LABELS, (i % 2) * LABELS + LABELS);
        while (!stop) {
          await printPdf(server, codes);
          printed++;
        }
      };
      const printers = Array.from({ length: RENDERS }, (_, i) => printer(i));
      // Give the first renders time to start, so that the whole window is under load.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      loaded = await load();
      stop = true;
      await Promise.all(printers);
    } finally {
      const peak = peakMemoryMb(server.child.process.pid);
      if (peak !== undefined) line(`  server peak memory (VmHWM): ${peak} MB`);
      await server.child.stop();
    }
    for (const [what, r] of [
      ['alone', alone],
      [`under ${RENDERS} renders`, loaded],
    ] as const) {
      if (r.failures > 0) throw new Error(`resolve ${what}: ${r.failures} requests failed`);
      line(
        `  resolve ${what.padEnd(18)} ${perSecond(r.requestsPerSecond).padStart(10)}  p50 ${latency(r.p50)}  p99 ${latency(r.p99)}`,
      );
    }
    line(`  ${printed} PDFs of ${LABELS.toLocaleString('en-US')} labels finished`);
    const outcomes: Outcome[] = [
      {
        name: `labels-load: resolve p99 under ${RENDERS} renders`,
        figure: latency(loaded.p99),
        floor: latency(alone.p99),
        ratio: `${(Math.max(loaded.p99, 1) / Math.max(alone.p99, 1)).toFixed(2)}× alone`,
        target: `< ${MAX_P99_MS} ms`,
        met: loaded.p99 < MAX_P99_MS,
      },
      {
        name: `labels-load: resolve throughput under renders`,
        figure: perSecond(loaded.requestsPerSecond),
        floor: perSecond(alone.requestsPerSecond),
        ratio: `${Math.round((loaded.requestsPerSecond / alone.requestsPerSecond) * 100)} % of alone`,
        target: '-',
        met: undefined,
      },
    ];
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};

/** One PDF, read to the end; checked to be a whole PDF of the labels asked for. */
async function printPdf(server: Server, codes: string[]): Promise<void> {
  const response = await fetch(`${server.origin}/api/v1/labels`, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ codes, media: 'tape-62x29' }),
  });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200)
    throw new Error(`labels: answered ${response.status} ${body.toString()}`);
  const pages = body.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
  if (pages !== codes.length) throw new Error(`the PDF has ${pages} pages, not ${codes.length}`);
}

/** The most memory the process held (Linux), in MB. */
function peakMemoryMb(pid: number | undefined): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}
