/**
 * `tracelot serve` cold start on an existing 1,000,000-lot database: from spawning the process
 * to the first 200 from /api/health. Floors: a bare fastify hello-world started the same way,
 * and node starting and exiting with nothing to do.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Benchmark } from './support/benchmark.js';
import { DATASET_LOTS } from './support/benchmark.js';
import { lotsDataset } from './support/dataset.js';
import { TRACELOT_BIN } from './support/paths.js';
import { freePort, spawnNode, waitForOk } from './support/processes.js';
import { line, ms, printOutcome, progress, times, type Outcome } from './support/report.js';
import { median } from './support/timing.js';

const RUNS = 5;
const MAX_MS = 2000;

/** The barest server that answers HTTP: fastify, one route, nothing else. */
const HELLO_WORLD = `
import Fastify from 'fastify';
const app = Fastify();
app.get('/', () => ({ hello: 'world' }));
await app.listen({ port: Number(process.argv[1]), host: '127.0.0.1' });
`;

/** Spawn to first 200, in ms; the process is stopped afterwards. */
async function startToFirstAnswer(args: (port: number) => string[], route: string) {
  const port = await freePort();
  const start = performance.now();
  const child = spawnNode(args(port));
  try {
    await waitForOk(`http://127.0.0.1:${port}${route}`, child, { intervalMs: 2 });
    return performance.now() - start;
  } finally {
    await child.stop();
  }
}

async function nodeStartToExit(): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return performance.now() - start;
}

/** One unmeasured run (disk cache), then RUNS measured ones; the median. */
async function medianOf(label: string, run: () => Promise<number>): Promise<number> {
  progress(`${label}: ${RUNS} runs after one warm-up`);
  await run();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run());
  const result = median(runs);
  line(
    `  ${label.padEnd(34)} median ${ms(result)}  (runs: ${runs.map((r) => Math.round(r)).join(', ')} ms)`,
  );
  return result;
}

export const coldStart: Benchmark = {
  name: 'cold-start',
  description: `tracelot serve on an existing ${DATASET_LOTS.toLocaleString('en-US')}-lot database: spawn to first answered request`,
  needsServerBuild: true,
  async run() {
    const dataset = await lotsDataset(DATASET_LOTS);
    const nodeMs = await medianOf('node -e "" (start to exit)', nodeStartToExit);
    const floorMs = await medianOf('fastify hello world', () =>
      startToFirstAnswer((port) => ['--input-type=module', '-e', HELLO_WORLD, String(port)], '/'),
    );
    const serveMs = await medianOf('tracelot serve', () =>
      startToFirstAnswer(
        (port) => [TRACELOT_BIN, 'serve', '--port', String(port), '--data', dataset.dir],
        '/api/health',
      ),
    );
    const outcomes: Outcome[] = [
      {
        name: 'cold-start tracelot serve',
        figure: ms(serveMs),
        floor: ms(floorMs),
        ratio: times(serveMs, floorMs),
        target: `< ${MAX_MS} ms`,
        met: serveMs < MAX_MS,
      },
      {
        name: '  (node start to exit)',
        figure: ms(nodeMs),
        floor: ms(floorMs),
        ratio: times(nodeMs, floorMs),
        target: '-',
        met: undefined,
      },
    ];
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};
