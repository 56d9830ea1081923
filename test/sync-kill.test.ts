import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/audit/audit.service.js';
import { createApiKey } from '../src/auth/api-key.service.js';
import { startBuild } from '../src/builds/build.service.js';
import { renameLocalSite } from '../src/sites/site.service.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { freePort, kill9, serveChild, type ChildServer } from './support/child-server.js';
import { cliEnv } from './support/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.js';
import {
  admin,
  makeLocation,
  makePart,
  testContext,
  type TestContext,
} from './support/factories.js';
import { dump, siteStore } from './support/sync-sites.js';

/**
 * A sync interrupted at any point — either side killed with -9 while it runs — applies each
 * bundle whole or not at all, and the next sync resumes from what each side holds and
 * converges (docs/sites.md "How sites sync"). Two real `tracelot serve` processes, North and
 * South; South syncs with North (`POST /sync/run`: it pulls North's records, then pushes its own).
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: sync killed half way`, () => {
    let dir: string;
    const side: Record<
      'north' | 'south',
      { db: TestDatabase; ctx: TestContext; dir: string; port: number; server?: ChildServer }
    > = {} as never;
    let southKey = '';
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-sync-kill-'));
      for (const name of ['north', 'south'] as const) {
        const home = path.join(dir, name);
        mkdirSync(home);
        const db = await createTestDatabase(dialect, path.join(home, 'tracelot.db'));
        const ctx = testContext(db.db);
        await renameLocalSite(ctx, admin, { name: name === 'north' ? 'North' : 'South' });
        side[name] = { db, ctx, dir: home, port: await freePort() };
      }
      southKey = (await createApiKey(side.south.ctx, admin, { name: 'ops', role: 'admin' })).key;
    });
    afterAll(async () => {
      for (const s of Object.values(side)) {
        if (s.server) await kill9(s.server.process);
        await s.db.close();
      }
      rmSync(dir, { recursive: true, force: true });
    });

    const start = async (name: 'north' | 'south') => {
      const s = side[name];
      s.server = await serveChild(cliEnv(s.db, s.dir), s.dir, s.port);
    };
    const url = (name: 'north' | 'south') => `http://127.0.0.1:${side[name].port}`;
    const callSouth = (route: string, body: unknown) =>
      fetch(`${url('south')}/api/v1${route}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${southKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    /** Runs a sync at South; what it said, or null when it was cut off. */
    const runSync = async (): Promise<{ error?: string; received?: unknown } | null> => {
      try {
        const answer = await callSouth('/sync/run', {});
        const body = (await answer.json()) as { items: { error?: string }[] };
        return body.items[0] ?? null;
      } catch {
        return null;
      }
    };

    /** Work at both sites: a build run to its end at North, parts and stock at South. */
    async function work(round: number) {
      const north = side.north.ctx;
      const line = (await makeLocation(north, { name: `North line ${round}` })).code;
      const project = await makeProject(north, [{ perUnit: 1 }], `Board ${round}`);
      await stock(north, project.parts[0]!, [150], line);
      await startBuild(north, admin, {
        project: project.code,
        quantity: 150,
        location: line,
        serialized: true,
        run: true,
      });
      const south = side.south.ctx;
      const shelf = (await makeLocation(south, { name: `South shelf ${round}` })).code;
      for (let i = 0; i < 8; i++) {
        const part = await makePart(south, { name: `South part ${round}.${i}` });
        await stock(south, part.code, [5], shelf);
      }
    }

    it('killing either side at any point of a sync loses and duplicates nothing: the next sync converges', async () => {
      const northKey = (await createApiKey(side.north.ctx, admin, { name: 'South', role: 'site' }))
        .key;
      await start('north');
      await start('south');
      const added = await callSouth('/sync/peers', {
        name: 'North',
        url: url('north'),
        key: northKey,
      });
      expect(added.status, await added.clone().text()).toBe(201);

      let cutOff = 0;
      const plan: ['north' | 'south', number][] = [
        ['south', 40],
        ['north', 40],
        ['south', 250],
        ['north', 250],
        ['south', 700],
        ['north', 700],
      ];
      for (const [round, [victim, after]] of plan.entries()) {
        await work(round);
        const running = runSync();
        await sleep(after);
        await kill9(side[victim].server!.process);
        const said = await running;
        if (said === null || said.error !== undefined) cutOff++;
        await start(victim);
      }
      // Some of the kills came while a sync ran (the others after it ended: also fine).
      expect(cutOff).toBeGreaterThan(0);

      const resumed = await runSync();
      expect(resumed?.error).toBeUndefined();
      const again = (await runSync()) as {
        received: { records: { applied: number } };
        sent: { records: { applied: number } };
      };
      expect([again.received.records.applied, again.sent.records.applied]).toEqual([0, 0]);
      const [north, south] = await Promise.all(
        (['north', 'south'] as const).map((n) =>
          dump({ db: side[n].db.db, store: siteStore(dir, n) }),
        ),
      );
      expect(south).toEqual(north);
      const units = (north!.lot as { build_serial: number | null }[]).filter(
        (l) => l.build_serial !== null,
      );
      expect(units).toHaveLength(plan.length * 150);
      for (const name of ['north', 'south'] as const) {
        expect((await verifyLog(side[name].ctx)).problems).toEqual([]);
        expect((await checkLedger(side[name].ctx)).ok).toBe(true);
      }
    }, 300_000);
  });
}
