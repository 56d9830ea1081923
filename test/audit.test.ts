import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/audit/audit.service.js';
import { openDatabase, SQLITE_FILE, type Database } from '../src/db/database.js';
import { canonicalJson, type ChangeRecord } from '../src/domain/change-record.js';
import { apiKeyCodes, createTestApi, type TestApi } from './support/api.js';
import { makeProject } from './support/build-factories.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS } from './support/databases.js';
import { behindTheApp } from './support/behind-the-app.js';

/** Every record of the log in chain order, parsed. */
async function records(db: Database): Promise<(ChangeRecord & { hash: string })[]> {
  const rows = await db
    .selectFrom('change_record')
    .select(['content', 'hash'])
    .orderBy('site_id')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...(JSON.parse(r.content) as ChangeRecord), hash: r.hash }));
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: change log`, () => {
    let api: TestApi;
    let keys: Record<string, string>;
    let db: () => Database;
    const built: {
      part?: string;
      location?: string;
      lot?: string;
      build?: string;
      units?: string[];
    } = {};
    beforeAll(async () => {
      api = await createTestApi(dialect);
      keys = await apiKeyCodes(api);
      db = () => api.database.db;
    });
    afterAll(() => api.close());

    /** Runs a request and returns the records it appended. */
    async function logged(method: string, url: string, body?: unknown, status = 200) {
      const before = (await records(db())).length;
      const res = await api.call(method, url, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      return { res, added: (await records(db())).slice(before) };
    }

    it('starts with a genesis record and each write appends exactly one record', async () => {
      const all = await records(db());
      expect(all[0]).toMatchObject({ seq: 1, operation: 'genesis', actor: { name: 'system' } });

      const part = await logged('POST', '/api/v1/parts', { name: 'Regulator' }, 201);
      built.part = part.res.body.code;
      expect(part.added).toHaveLength(1);
      expect(part.added[0]).toMatchObject({
        operation: 'created',
        actor: { code: keys.admin, name: 'key:test-admin' },
        objects: [built.part],
        events: [{ subject: built.part, type: 'created', data: { name: 'Regulator' } }],
        ledger: [],
      });

      const edit = await logged('PATCH', `/api/v1/parts/${built.part}`, {
        description: 'LDO 3V3',
      });
      expect(edit.added).toHaveLength(1);
      expect(edit.added[0]!.events).toEqual([
        {
          subject: built.part,
          type: 'updated',
          data: { description: { from: '', to: 'LDO 3V3' } },
        },
      ]);

      const location = await logged('POST', '/api/v1/locations', { name: 'Shelf A' }, 201);
      built.location = location.res.body.code;
      const receipt = await logged(
        'POST',
        '/api/v1/stock/receive',
        { items: [{ part: built.part, location: built.location, quantity: 10 }] },
        201,
      );
      built.lot = receipt.res.body.lots[0].code;
      expect(receipt.added).toHaveLength(1);
      expect(receipt.added[0]).toMatchObject({
        operation: 'received',
        objects: [built.lot].sort(),
        ledger: [
          [
            receipt.res.body.operation,
            'received',
            built.lot,
            built.part,
            built.location,
            'on_hand',
            10_000_000,
            null,
            '',
          ],
        ],
      });
    });

    it('a rejected request appends nothing', async () => {
      const before = (await records(db())).length;
      expect((await api.call('POST', '/api/v1/parts', { name: '' })).status).toBe(400);
      expect(
        (
          await api.call('POST', '/api/v1/stock/move', {
            lot: built.lot,
            to: built.location,
            quantity: 1_000,
          })
        ).status,
      ).toBeGreaterThanOrEqual(400);
      expect((await records(db())).length).toBe(before);
    });

    it('a build is one record per operation, listing its units, whatever their number', async () => {
      const project = await makeProject(api.ctx, [{ perUnit: 1, part: built.part! }]);
      const start = await logged(
        'POST',
        '/api/v1/builds',
        { project: project.code, quantity: 3, location: built.location },
        201,
      );
      built.build = start.res.body.code;
      const units = await api.call('GET', `/api/v1/builds/${built.build}/units?limit=10`);
      built.units = units.body.items.map((u: { code: string }) => u.code);
      expect(start.added).toHaveLength(1);
      const [record] = start.added;
      expect(record!.operation).toBe('build_started');
      expect(record!.objects).toEqual([built.build!, ...built.units!].sort());
      expect(record!.states).toEqual(built.units!.map((u) => [u, 'in_production']).sort());
      expect(record!.ledger.map((l) => [l[1], l[2], l[5], l[6]])).toEqual(
        expect.arrayContaining(
          built.units!.map((u) => ['produced', u, 'in_production', 1_000_000]),
        ),
      );

      const stage = await logged('POST', `/api/v1/builds/${built.build}/stages/1/complete`, {});
      expect(stage.added).toHaveLength(1);
      expect(stage.added[0]).toMatchObject({ operation: 'stage_completed' });
      expect(stage.added[0]!.ledger).toContainEqual(
        expect.arrayContaining([
          'consumed',
          built.lot,
          built.part,
          built.location,
          'on_hand',
          -3_000_000,
        ]),
      );

      const finish = await logged('POST', `/api/v1/builds/${built.build}/finish`, {});
      expect(finish.added).toHaveLength(1);
      expect(finish.added[0]!.operation).toBe('build_finished');
      expect(finish.added[0]!.states).toEqual(built.units!.map((u) => [u, 'available']).sort());

      const ship = await logged(
        'POST',
        '/api/v1/shipments',
        { customer: 'ACME', reference: 'PO-1', units: [built.units![0]] },
        201,
      );
      expect(ship.added).toHaveLength(1);
      expect(ship.added[0]!.states).toEqual([[built.units![0], 'shipped']]);
    });

    it('chains every record to the one before by SHA-256 over its canonical form', async () => {
      const all = await records(db());
      let previous = '0'.repeat(64);
      for (const r of all) {
        const { hash, ...record } = r;
        const content = canonicalJson(record);
        expect(hash).toBe(createHash('sha256').update(`${previous}\n${content}`).digest('hex'));
        previous = hash;
      }
      expect(all.map((r) => r.seq)).toEqual(all.map((_, i) => i + 1));
      const report = await verifyLog(api.ctx);
      expect(report).toMatchObject({
        ok: true,
        records: all.length,
        stateChecked: true,
        problems: [],
      });
      expect(report.head).toMatchObject({ seq: all.length, hash: all.at(-1)!.hash });
    });

    it('the history of an object comes from the log, and the audit list filters it', async () => {
      const history = await api.call('GET', `/api/v1/lots/${built.units![0]}/history`);
      expect(history.status).toBe(200);
      const events = history.body.items.filter((i: { source: string }) => i.source === 'event');
      expect(events.map((e: { type: string }) => e.type)).toContain('shipped');
      const list = await api.call('GET', `/api/v1/audit/changes?object=${built.units![0]}`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: { operation: string }) => c.operation)).toEqual([
        'shipped',
        'build_finished',
        'build_started',
      ]);
      const byOperation = await api.call('GET', '/api/v1/audit/changes?operation=received');
      expect(byOperation.body.total).toBe(1);
      const detail = await api.call('GET', `/api/v1/audit/changes/${byOperation.body.items[0].id}`);
      expect(detail.body).toMatchObject({
        operation: 'received',
        hash: byOperation.body.items[0].hash,
      });
      const asEditor = await api.call('GET', '/api/v1/audit/changes', undefined, 'editor');
      expect(asEditor.status).toBe(403);
      const badDate = await api.call('GET', '/api/v1/audit/changes?from=yesterday');
      expect(badDate.status).toBe(400);
      expect(badDate.body.error.field).toBe('from');
    });

    it('exports the records as JSON lines that verify without Tracelot', async () => {
      const res = await api.app.inject({
        method: 'GET',
        url: '/api/v1/audit/export',
        headers: { authorization: `Bearer ${api.keys.admin}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('application/x-ndjson');
      const lines = res.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const all = await records(db());
      expect(lines).toHaveLength(all.length);
      for (const line of lines) {
        expect(line.hash).toBe(
          createHash('sha256')
            .update(`${line.prev}\n${canonicalJson(line.record)}`)
            .digest('hex'),
        );
      }
      expect(res.headers['x-chain-head']).toContain(all.at(-1)!.hash);
    });

    describe('tampering behind the application', () => {
      // Each case changes the database directly, checks verify names it, and undoes it.
      async function brokenBy(change: () => Promise<void>, undo: () => Promise<void>) {
        await behindTheApp(change);
        try {
          return await verifyLog(api.ctx);
        } finally {
          await behindTheApp(undo);
          expect((await verifyLog(api.ctx)).ok).toBe(true);
        }
      }
      const recordAt = async (seq: number) =>
        db()
          .selectFrom('change_record')
          .selectAll()
          .where('seq', '=', seq)
          .executeTakeFirstOrThrow();

      it('an edited record', async () => {
        const row = await db()
          .selectFrom('change_record')
          .selectAll()
          .where('content', 'like', '%Regulator%')
          .orderBy('seq')
          .executeTakeFirstOrThrow();
        const report = await brokenBy(
          () =>
            db()
              .updateTable('change_record')
              .set({ content: row.content.replace('Regulator', 'Regulat0r') })
              .where('id', '=', row.id)
              .execute()
              .then(() => undefined),
          () =>
            db()
              .updateTable('change_record')
              .set({ content: row.content })
              .where('id', '=', row.id)
              .execute()
              .then(() => undefined),
        );
        expect(report.ok).toBe(false);
        expect(report.firstBroken).toMatchObject({ seq: row.seq, record: row.id });
        expect(report.firstBroken!.problem).toMatch(/hash is not the hash of its content/);
      });

      it('a removed record, in the middle and at the end', async () => {
        for (const seq of [4, (await records(db())).length]) {
          const row = await recordAt(seq);
          const objects = await db()
            .selectFrom('change_object')
            .selectAll()
            .where('change_id', '=', row.id)
            .execute();
          const report = await brokenBy(
            async () => {
              await db().deleteFrom('change_object').where('change_id', '=', row.id).execute();
              await db().deleteFrom('change_record').where('id', '=', row.id).execute();
            },
            async () => {
              await db().insertInto('change_record').values(row).execute();
              if (objects.length) await db().insertInto('change_object').values(objects).execute();
            },
          );
          expect(report.ok).toBe(false);
          expect(report.firstBroken!.problem).toMatch(
            seq === 4 ? /record 4 is missing/ : /records were removed/,
          );
        }
      });

      it('a changed balance, an inserted ledger entry, a changed unit state', async () => {
        const balance = () =>
          db()
            .selectFrom('stock_balance')
            .selectAll()
            .where('lot_code', '=', built.lot!)
            .executeTakeFirstOrThrow();
        const held = (await balance()).quantity;
        const r1 = await brokenBy(
          () =>
            db()
              .updateTable('stock_balance')
              .set({ quantity: held + 1_000_000 })
              .where('lot_code', '=', built.lot!)
              .execute()
              .then(() => undefined),
          () =>
            db()
              .updateTable('stock_balance')
              .set({ quantity: held })
              .where('lot_code', '=', built.lot!)
              .execute()
              .then(() => undefined),
        );
        expect(r1.firstBroken!.problem).toMatch(
          new RegExp(
            `lot ${built.lot}.*the log says ${held}, the balance holds ${held + 1_000_000}`,
          ),
        );

        const entry = await db()
          .selectFrom('stock_entry')
          .selectAll()
          .where('lot_code', '=', built.lot!)
          .orderBy('id')
          .executeTakeFirstOrThrow();
        const { id: _id, uid: _uid, ...copy } = entry;
        const r2 = await brokenBy(
          () =>
            db()
              .insertInto('stock_entry')
              .values({ ...copy, operation: 'forged0000000000000000000a' })
              .execute()
              .then(() => undefined),
          () =>
            db()
              .deleteFrom('stock_entry')
              .where('operation', '=', 'forged0000000000000000000a')
              .execute()
              .then(() => undefined),
        );
        expect(r2.problems.map((p) => p.problem)).toContainEqual(
          expect.stringMatching(/is in no change record/),
        );

        const r3 = await brokenBy(
          () =>
            db()
              .updateTable('stock_entry')
              .set({ quantity: entry.quantity + 1 })
              .where('id', '=', entry.id)
              .execute()
              .then(() => undefined),
          () =>
            db()
              .updateTable('stock_entry')
              .set({ quantity: entry.quantity })
              .where('id', '=', entry.id)
              .execute()
              .then(() => undefined),
        );
        expect(r3.problems.map((p) => p.problem)).toContainEqual(
          `the ledger entries of operation ${entry.operation} differ from its change record`,
        );

        const unit = built.units![1]!;
        const r4 = await brokenBy(
          () =>
            db()
              .updateTable('lot')
              .set({ unit_state: 'shipped' })
              .where('code', '=', unit)
              .execute()
              .then(() => undefined),
          () =>
            db()
              .updateTable('lot')
              .set({ unit_state: 'available' })
              .where('code', '=', unit)
              .execute()
              .then(() => undefined),
        );
        expect(r4.firstBroken!.problem).toBe(
          `unit ${unit}: the log says available, the unit is shipped`,
        );
      });
    });

    it('tracelot audit verify and export', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-audit-'));
      try {
        const env = cliEnv(api.database, dir);
        const ok = await cli(env, 'audit', 'verify', '--json');
        expect(ok.code).toBe(0);
        expect(json(ok)).toMatchObject({ ok: true, stateChecked: true });
        const file = path.join(dir, 'log.jsonl');
        const exported = await cli(env, 'audit', 'export', '-o', file);
        expect(exported.code).toBe(0);
        const lines = readFileSync(file, 'utf8').trim().split('\n');
        const last = JSON.parse(lines.at(-1)!);
        expect(exported.stdout).toContain(`hash ${last.hash}`);
        // The CLI's own database: the SQLite file in `dir`, or the PostgreSQL schema of the API.
        const handle =
          dialect === 'sqlite' ? openDatabase({ url: path.join(dir, SQLITE_FILE) }) : undefined;
        const cliDb = handle?.db ?? db();
        try {
          const row = await cliDb
            .selectFrom('change_record')
            .selectAll()
            .where('seq', '=', 1)
            .executeTakeFirstOrThrow();
          const setAt = (at: string) =>
            cliDb.updateTable('change_record').set({ at }).where('id', '=', row.id).execute();
          await setAt('2000-01-01T00:00:00.000Z');
          const broken = await cli(env, 'audit', 'verify');
          expect(broken.code).toBe(1);
          expect(broken.stdout).toContain(
            `BROKEN: record 1 (${row.id}) its at column differs from its content`,
          );
          await setAt(row.at);
          const from = await cli(env, 'audit', 'verify', '--from', row.at.slice(0, 10), '--json');
          expect(json(from)).toMatchObject({ ok: true, stateChecked: false });
        } finally {
          await handle?.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
