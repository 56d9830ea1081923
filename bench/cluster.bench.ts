/**
 * Several servers under load: two `tracelot serve` processes on one PostgreSQL schema behind a
 * round-robin front (bench/support/round-robin.ts), 32 connections sending a mix of scans
 * (resolve), receives, moves, single-unit stage completions and test uploads for
 * TRACELOT_CLUSTER_SECONDS (default 300). Midway PostgreSQL is restarted (unless
 * TRACELOT_CLUSTER_RESTART=0): answers during the outage must be 503, fast, and traffic must
 * recover by itself. Afterwards `tracelot check` and `tracelot audit verify` must pass.
 * The floor: the same driver through the same front to two bare node:http servers.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { createApiKey } from '../src/auth/api-key.service.js';
import { startBuild } from '../src/builds/build.service.js';
import { createLocation } from '../src/locations/location.service.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { openDatabase } from '../src/db/database.js';
import type { Benchmark } from './support/benchmark.js';
import { prepareBuildFixture } from './support/build-fixture.js';
import { benchActor } from './support/dataset.js';
import { TRACELOT_BIN } from './support/paths.js';
import { connectAdmin, inSchema, PG_URL } from './support/postgres.js';
import { freePort, spawnNode, waitForOk, type Child } from './support/processes.js';
import {
  line,
  ms,
  perSecond,
  printOutcome,
  progress,
  share,
  type Outcome,
} from './support/report.js';

const execFileAsync = promisify(execFile);
const CONNECTIONS = 32;
const SECONDS = Number(process.env.TRACELOT_CLUSTER_SECONDS ?? 300);
const RESTART = process.env.TRACELOT_CLUSTER_RESTART !== '0';
const FLOOR_SECONDS = 5;
const BUILDS = 16;
const UNITS_PER_BUILD = 200;
const KINDS = ['resolve', 'receive', 'move', 'complete', 'test'] as const;
type Kind = (typeof KINDS)[number];
/** Share of each kind in the mix (a completion falls back to a scan once its queue is empty). */
const MIX: [Kind, number][] = [
  ['resolve', 0.7],
  ['receive', 0.08],
  ['move', 0.08],
  ['complete', 0.07],
  ['test', 0.07],
];

interface Sample {
  kind: Kind;
  status: number;
  start: number;
  ms: number;
}

interface Fixture {
  apiKey: string;
  codes: string[];
  receivePart: string;
  locations: string[];
  /** Per connection: lots it alone moves, with where each lies now. */
  moveLots: { code: string; location: string }[][];
  /** Per connection: [build, stage, serial] in order (stage 1 before stage 2 of a unit). */
  completions: [string, number, number][][];
  units: string[];
}

export const cluster: Benchmark = {
  name: 'cluster',
  description: `two servers on one PostgreSQL behind a round-robin front, ${CONNECTIONS} connections of mixed writes and scans (${SECONDS} s${RESTART ? ', PostgreSQL restarted midway' : ''})`,
  needsServerBuild: true,
  async run() {
    // The restart ends every connection: the admin connection is used only before and after.
    const admin = await connectAdmin();
    if (!admin) return [];
    admin.on('error', () => {});
    const outcomes: Outcome[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-bench-cluster-'));
    const children: Child[] = [];
    try {
      const floor = await measureFloor(children);
      await inSchema(adminAfterRestart(admin), async (schema) => {
        progress('setting up parts, stock, builds and API keys');
        const fixture = await prepare(schema);
        const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
        const origins: string[] = [];
        for (const name of ['a', 'b']) {
          const port = await freePort();
          const child = spawnNode([
            TRACELOT_BIN,
            'serve',
            '--port',
            String(port),
            '--data',
            path.join(dir, name),
            '--database',
            url,
          ]);
          children.push(child);
          await waitForOk(`http://127.0.0.1:${port}/api/health`, child);
          origins.push(`http://127.0.0.1:${port}`);
        }
        const front = await startFront(children, origins);
        progress(`load: ${CONNECTIONS} connections for ${SECONDS} s`);
        const result = await drive(front, fixture, SECONDS, RESTART);
        for (const child of children) {
          if (child.process.exitCode !== null || child.process.signalCode !== null)
            line(`  a server exited during the load:\n${child.output()}`);
        }
        outcomes.push(...report(result, floor));
        outcomes.push(...verify(url));
      });
    } finally {
      for (const child of children) await child.stop();
      await admin.end().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};

/**
 * The admin connection, and when the restart has ended it by the time the schema is dropped,
 * a new one in its place (inSchema drops the schema through `query`).
 */
function adminAfterRestart(admin: pg.Client): pg.Client {
  const query = admin.query.bind(admin);
  return Object.assign(Object.create(admin) as pg.Client, {
    query: async (text: string) => {
      try {
        return await query(text);
      } catch {
        const fresh = new pg.Client({ connectionString: PG_URL });
        await fresh.connect();
        try {
          return await fresh.query(text);
        } finally {
          await fresh.end();
        }
      }
    },
  });
}

async function prepare(schema: string): Promise<Fixture> {
  const handle = openDatabase({ url: PG_URL, schema });
  try {
    // Two stages of two BOM lines each, stock for every unit of every build.
    const made = await prepareBuildFixture(handle, {
      entries: 4,
      stageOf: (n) => (n <= 2 ? 1 : 2),
      lotsPerEntry: 4,
      lotUnits: (BUILDS * UNITS_PER_BUILD) / 2,
    });
    const { ctx } = made;
    const locations = [made.location];
    for (const name of ['Shelf A', 'Shelf B', 'Shelf C'])
      locations.push((await createLocation(ctx, benchActor, { name })).code);
    const receivePart = made.bom[0]!.part;
    const moved = await receiveStock(
      ctx,
      benchActor,
      Array.from({ length: CONNECTIONS * 4 }, (_, i) => ({
        part: receivePart,
        location: locations[1 + (i % 3)]!,
        quantity: 1_000_000,
      })),
    );
    const moveLots = Array.from({ length: CONNECTIONS }, (_, c) =>
      moved.lots.slice(c * 4, c * 4 + 4).map((l) => ({ code: l.code, location: l.location })),
    );
    const completions: [string, number, number][][] = Array.from({ length: CONNECTIONS }, () => []);
    const units: string[] = [];
    let next = 0;
    for (let b = 0; b < BUILDS; b++) {
      const build = await startBuild(ctx, benchActor, {
        project: made.project,
        quantity: UNITS_PER_BUILD,
        location: made.location,
      });
      const rows = await handle.db
        .selectFrom('lot')
        .select(['code', 'build_serial'])
        .where('build_code', '=', build.code)
        .execute();
      for (const row of rows) {
        units.push(row.code);
        const queue = completions[next++ % CONNECTIONS]!;
        queue.push(
          [build.code, 1, Number(row.build_serial)],
          [build.code, 2, Number(row.build_serial)],
        );
      }
    }
    const { key } = await createApiKey(ctx, benchActor, { name: 'line', role: 'editor' });
    await createApiKey(ctx, benchActor, { name: 'supervisor', role: 'admin' });
    const codes = [
      ...units,
      ...moved.lots.map((l) => l.code),
      ...made.bom.flatMap((l) => l.lots.map((s) => s.code)),
    ];
    return { apiKey: key, codes, receivePart, locations, moveLots, completions, units };
  } finally {
    await handle.close();
  }
}

async function startFront(children: Child[], origins: string[]): Promise<string> {
  const port = await freePort();
  const child = spawnNode([
    '--import',
    'tsx',
    path.join('bench', 'support', 'round-robin.ts'),
    String(port),
    ...origins,
  ]);
  children.push(child);
  const front = `http://127.0.0.1:${port}`;
  await waitForOk(`${front}/api/health`, child);
  return front;
}

/** Bare node:http servers behind the same front, loaded by the same driver: the raw floor. */
async function measureFloor(children: Child[]): Promise<number> {
  const origins: string[] = [];
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const child = spawnNode([
      '-e',
      `require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.setHeader('content-type','application/json');s.end('{"ok":true}')})}).listen(${port},'127.0.0.1')`,
    ]);
    children.push(child);
    await waitForOk(`http://127.0.0.1:${port}/health`, child);
    origins.push(`http://127.0.0.1:${port}`);
  }
  const front = await startFront(children, origins);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const end = performance.now() + FLOOR_SECONDS * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) {
        await request(agent, front, 'GET', '/resolve?q=x', {}, undefined);
        count++;
      }
    }),
  );
  agent.destroy();
  for (const child of children.splice(0)) await child.stop();
  const rate = count / FLOOR_SECONDS;
  line(`  floor: ${perSecond(rate)} through the front to two bare node:http servers`);
  return rate;
}

function request(
  agent: http.Agent,
  origin: string,
  method: string,
  requestPath: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<number> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      origin + requestPath,
      {
        method,
        agent,
        headers: payload ? { ...headers, 'content-type': 'application/json' } : headers,
        timeout: 60_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

interface DriveResult {
  samples: Sample[];
  seconds: number;
  /** Performance-clock window from the restart command to the first 2xx after it. */
  outage: { start: number; end: number } | undefined;
  restartSeconds: number;
}

async function drive(
  front: string,
  fixture: Fixture,
  seconds: number,
  restart: boolean,
): Promise<DriveResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const headers = { authorization: `Bearer ${fixture.apiKey}` };
  const samples: Sample[] = [];
  const begin = performance.now();
  const end = begin + seconds * 1000;
  let outage: { start: number; end: number } | undefined;
  let restartSeconds = 0;
  let restarted = false;
  let seq = 0;
  const pick = (): Kind => {
    let r = Math.random();
    for (const [kind, weight] of MIX) {
      if ((r -= weight) < 0) return kind;
    }
    return 'resolve';
  };
  const restarter = restart
    ? (async () => {
        await new Promise((r) => setTimeout(r, (seconds * 1000) / 2));
        const start = performance.now();
        progress('restarting PostgreSQL');
        outage = { start, end: Infinity };
        const cluster = readdirSync('/etc/postgresql')[0]!;
        // Asynchronously: the connections keep sending (and timing) requests meanwhile.
        await execFileAsync('pg_ctlcluster', [
          '--skip-systemctl-redirect',
          cluster,
          'main',
          'restart',
        ]);
        restartSeconds = (performance.now() - start) / 1000;
        restarted = true;
      })()
    : Promise.resolve();
  await Promise.all([
    restarter,
    ...Array.from({ length: CONNECTIONS }, async (_, c) => {
      const queue = fixture.completions[c]!;
      const lots = fixture.moveLots[c]!;
      while (performance.now() < end) {
        let kind = pick();
        if (kind === 'complete' && queue.length === 0) kind = 'resolve';
        const n = seq++;
        const start = performance.now();
        let status: number;
        if (kind === 'resolve') {
          const code = fixture.codes[n % fixture.codes.length]!;
          status = await request(
            agent,
            front,
            'GET',
            `/api/v1/resolve?q=${code}`,
            headers,
            undefined,
          );
        } else if (kind === 'receive') {
          status = await request(agent, front, 'POST', '/api/v1/stock/receive', headers, {
            items: [
              { part: fixture.receivePart, location: fixture.locations[1 + (n % 3)]!, quantity: 5 },
            ],
          });
        } else if (kind === 'move') {
          // Each lot belongs to one connection, which moves it on to another shelf each time.
          const lot = lots[n % lots.length]!;
          const to = fixture.locations.slice(1).find((l) => l !== lot.location)!;
          status = await request(agent, front, 'POST', '/api/v1/stock/move', headers, {
            lot: lot.code,
            to,
          });
          if (status >= 200 && status < 300) lot.location = to;
        } else if (kind === 'complete') {
          const [build, stage, serial] = queue[0]!;
          status = await request(
            agent,
            front,
            'POST',
            `/api/v1/builds/${build}/stages/${stage}/complete`,
            headers,
            { units: [serial] },
          );
          if (status < 500 && status !== 0) queue.shift();
        } else {
          const unit = fixture.units[n % fixture.units.length]!;
          status = await request(agent, front, 'POST', `/api/v1/units/${unit}/tests`, headers, {
            name: 'Functional test',
            result: n % 10 === 0 ? 'fail' : 'pass',
            value: 4.9 + (n % 3) * 0.05,
            station: 'FCT-1',
          });
        }
        const now = performance.now();
        samples.push({ kind, status, start, ms: now - start });
        if (
          restarted &&
          outage &&
          outage.end === Infinity &&
          status >= 200 &&
          status < 300 &&
          start > outage.start
        )
          outage.end = now;
      }
    }),
  ]);
  agent.destroy();
  return { samples, seconds: (performance.now() - begin) / 1000, outage, restartSeconds };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(result: DriveResult, floorRate: number): Outcome[] {
  const { samples, outage } = result;
  const inOutage = (s: Sample) =>
    outage !== undefined && s.start + s.ms >= outage.start && s.start <= outage.end;
  const steady = samples.filter((s) => !inOutage(s));
  const during = samples.filter(inOutage);
  const rate = samples.length / result.seconds;
  line(
    `  ${samples.length.toLocaleString('en-US')} requests in ${result.seconds.toFixed(0)} s: ${perSecond(rate)} (${CONNECTIONS} connections)`,
  );
  for (const kind of KINDS) {
    const of = steady.filter((s) => s.kind === kind);
    const lat = of.map((s) => s.ms);
    const c4 = of.filter((s) => s.status >= 400 && s.status < 500).length;
    const c5 = of.filter((s) => s.status >= 500 || s.status === 0).length;
    const statuses = [
      ...new Set(of.filter((s) => s.status >= 400 || s.status === 0).map((s) => s.status)),
    ].join(',');
    line(
      `  ${kind.padEnd(9)} ${String(of.length).padStart(7)} requests  p50 ${ms(percentile(lat, 50)).padStart(8)}  p99 ${ms(percentile(lat, 99)).padStart(8)}  4xx ${c4}  5xx/failed ${c5}${statuses ? ` (${statuses})` : ''}`,
    );
  }
  const steady5xx = steady.filter((s) => s.status >= 500 || s.status === 0).length;
  const steady4xx = steady.filter((s) => s.status >= 400 && s.status < 500).length;
  const outcomes: Outcome[] = [
    {
      name: 'cluster: throughput (mixed)',
      figure: perSecond(rate),
      floor: perSecond(floorRate),
      ratio: share(rate, floorRate),
      target: '-',
      met: undefined,
    },
    {
      name: 'cluster: p99 (all kinds, outside the outage)',
      figure: ms(
        percentile(
          steady.map((s) => s.ms),
          99,
        ),
      ),
      floor: '-',
      ratio: '-',
      target: '-',
      met: undefined,
    },
    {
      name: 'cluster: 4xx outside the outage',
      figure: String(steady4xx),
      floor: '-',
      ratio: '-',
      target: '-',
      met: undefined,
    },
    {
      name: 'cluster: 5xx outside the outage',
      figure: String(steady5xx),
      floor: '-',
      ratio: '-',
      target: '0',
      met: steady5xx === 0,
    },
  ];
  if (outage) {
    const bad =
      during.filter((s) => s.status >= 500 && s.status !== 503).length +
      during.filter((s) => s.status === 0).length;
    const slowest = Math.max(0, ...during.map((s) => s.ms));
    const count503 = during.filter((s) => s.status === 503).length;
    const recovered = outage.end !== Infinity;
    line(
      `  outage: restart took ${result.restartSeconds.toFixed(1)} s, first success ${recovered ? `${((outage.end - outage.start) / 1000).toFixed(1)} s after the restart began` : 'never'}; ${during.length} requests in the window: ${count503} × 503, ${bad} other 5xx/failed, slowest ${ms(slowest)}`,
    );
    outcomes.push(
      {
        name: 'cluster: outage answers not 503 (5xx/failed)',
        figure: String(bad),
        floor: '-',
        ratio: '-',
        target: '0',
        met: bad === 0,
      },
      {
        name: 'cluster: slowest answer in the outage',
        figure: ms(slowest),
        floor: '-',
        ratio: '-',
        target: '< 10 s',
        met: slowest < 10_000,
      },
      {
        name: 'cluster: recovered by itself',
        figure: recovered ? 'yes' : 'no',
        floor: '-',
        ratio: '-',
        target: 'yes',
        met: recovered,
      },
    );
  }
  return outcomes;
}

function verify(url: string): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const args of [['check'], ['audit', 'verify']]) {
    const run = spawnSync(process.execPath, [TRACELOT_BIN, ...args], {
      env: { ...process.env, TRACELOT_DATABASE_URL: url },
      encoding: 'utf8',
    });
    const text = `${run.stdout}${run.stderr}`.trim();
    line(`  $ tracelot ${args.join(' ')} → exit ${run.status}`);
    for (const l of text.split('\n').slice(0, 12)) line(`    ${l}`);
    outcomes.push({
      name: `cluster: tracelot ${args.join(' ')}`,
      figure: run.status === 0 ? 'passes' : `exit ${run.status}`,
      floor: '-',
      ratio: '-',
      target: 'exit 0',
      met: run.status === 0,
    });
  }
  return outcomes;
}
