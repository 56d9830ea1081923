/**
 * `npm run bench [-- <name>…]`: runs the benchmarks (all, or those whose name contains one of
 * the words given) and prints each figure next to a floor measured in the same run.
 * `npm run bench -- --list` lists them.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { auditVerify } from './audit.bench.js';
import { buildRun, buildStages } from './builds.bench.js';
import { cluster } from './cluster.bench.js';
import { coldStart } from './cold-start.bench.js';
import { dhr } from './dhr.bench.js';
import { labelsLoad } from './labels-load.bench.js';
import { labelsPdf } from './labels.bench.js';
import { pickList } from './pick-list.bench.js';
import { receive } from './receive.bench.js';
import { receiveBatchBench } from './receive-batch.bench.js';
import { resolveHttp } from './resolve-http.bench.js';
import { resolveService } from './resolve-service.bench.js';
import { testResults } from './test-results.bench.js';
import { serialsAssign } from './serials.bench.js';
import { scanParse } from './scan-parse.bench.js';
import { sync } from './sync.bench.js';
import { trace } from './trace.bench.js';
import type { Benchmark } from './support/benchmark.js';
import { REPO_ROOT } from './support/paths.js';
import { line, printSummary, type Outcome } from './support/report.js';

const BENCHMARKS: Benchmark[] = [
  resolveHttp,
  resolveService,
  receive,
  receiveBatchBench,
  buildRun,
  buildStages,
  pickList,
  serialsAssign,
  trace,
  testResults,
  dhr,
  auditVerify,
  sync,
  labelsPdf,
  labelsLoad,
  coldStart,
  scanParse,
  cluster,
];

const args = process.argv.slice(2);
if (args.includes('--list') || args.includes('--help')) {
  for (const b of BENCHMARKS) line(`${b.name.padEnd(16)} ${b.description}`);
  process.exit(0);
}
const chosen = args.length
  ? BENCHMARKS.filter((b) => args.some((word) => b.name.includes(word)))
  : BENCHMARKS;
if (chosen.length === 0) {
  console.error(
    `No benchmark matches ${args.join(', ')}; there are: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}

line(
  `Tracelot benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
);
// Other programs running meanwhile slow everything down; the ratios, measured side by side,
// suffer less than the absolute figures.
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
line(`Load average at start: ${load()}`);
if (chosen.some((b) => b.needsServerBuild)) {
  line('Building the server (npm run build:server)…');
  const build = spawnSync('npm', ['run', '--silent', 'build:server'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const outcomes: Outcome[] = [];
for (const benchmark of chosen) {
  line();
  line(`${benchmark.name}: ${benchmark.description}`);
  outcomes.push(...(await benchmark.run()));
}
printSummary(outcomes);
line(`Load average at the end: ${load()}`);
