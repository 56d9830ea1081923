import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type Context } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { makeProject } from './support/build-factories.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { makeLocation, makePart } from './support/factories.js';
import { rowCount } from './support/row-counts.js';
import { behindTheApp } from './support/behind-the-app.js';

const FIXED = new Date('2027-03-09T10:00:00Z'); // ISO week 10 of 2027

for (const dialect of DIALECTS) {
  describe(`${dialect}: customer serials`, () => {
    let api: TestApi;
    let ctx: Context;
    let line: string;
    let project: { code: string; part: string };
    let scratch: string;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
      ctx.clock = () => FIXED;
      line = (await makeLocation(ctx, { name: `Serial line ${dialect}` })).code;
      project = await makeProject(ctx, []);
      scratch = mkdtempSync(path.join(tmpdir(), 'tracelot-serials-'));
    });
    afterAll(async () => {
      await api.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    let formats = 0;
    const createFormat = async (body: Record<string, unknown>) => {
      const res = await api.call('POST', '/api/v1/serial-formats', {
        name: `Format ${++formats}`,
        ...body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { code: string; name: string };
    };
    const startBuild = async (quantity: number, extra: Record<string, unknown> = {}) => {
      const res = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity,
        location: line,
        ...extra,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { code: string; shortCode: string };
    };
    const units = async (build: string) =>
      ctx.db
        .selectFrom('lot as l')
        .leftJoin('customer_serial as cs', 'cs.lot_code', 'l.code')
        .select(['l.code', 'l.name', 'l.build_serial', 'cs.value', 'cs.seq'])
        .where('l.build_code', '=', build)
        .orderBy('l.build_serial')
        .execute();
    it('creates, lists, finds by name, renames, archives a format', async () => {
      const res = await api.call('POST', '/api/v1/serial-formats', {
        name: 'ACME weekly',
        pattern: 'ACME-{YY}{WW}-{SEQ:5}',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: 'ACME weekly',
        pattern: 'ACME-{YY}{WW}-{SEQ:5}',
        scope: 'global',
        reset: 'never',
        target: 'name',
        fieldName: '',
        part: null,
        archived: false,
        assigned: 0,
      });
      const code = res.body.code as string;
      expect((await api.call('GET', '/api/v1/serial-formats/acme%20weekly')).body.code).toBe(code);
      const list = await api.call('GET', '/api/v1/serial-formats?q=weekly&limit=5');
      expect(list.body.total).toBe(1);
      expect(list.body.items[0].code).toBe(code);
      const renamed = await api.call('PATCH', `/api/v1/serial-formats/${code}`, {
        name: 'ACME week',
        target: 'field',
        fieldName: 'Customer SN',
      });
      expect(renamed.body).toMatchObject({
        name: 'ACME week',
        target: 'field',
        fieldName: 'Customer SN',
      });
      const archived = await api.call('PATCH', `/api/v1/serial-formats/${code}`, {
        archived: true,
      });
      expect(archived.body.archived).toBe(true);
      expect((await api.call('GET', '/api/v1/serial-formats?q=weekly')).body.total).toBe(0);
      expect(
        (await api.call('GET', '/api/v1/serial-formats?q=week&archived=true')).body.total,
      ).toBe(1);
      const build = await startBuild(2);
      const refused = await api.call('POST', `/api/v1/serial-formats/${code}/assign`, {
        build: build.code,
      });
      expect(refused.status).toBe(409);
      expect(refused.body.error.field).toBe('format');
      expect(await rowCount(ctx.db, 'customer_serial')).toBe(0);
    });

    it.each([
      [{ pattern: 'A-{SEQ}' }, 400, 'pattern', '{SEQ:n} needs n'],
      [{ pattern: 'A-{XX}-{SEQ:2}' }, 400, 'pattern', 'unknown field {XX}'],
      [{ pattern: 'A-{N}' }, 400, 'pattern', 'both {BUILD} and {N}'],
      [{ pattern: 'A-{SEQ:3}', reset: 'yearly' }, 400, 'reset', 'yearly reset'],
      [{ pattern: 'A-{SEQ:3}', target: 'field' }, 400, 'fieldName', 'required'],
      [{ pattern: 'A-{SEQ:3}', scope: 'site' }, 400, 'scope', 'must be one of'],
      [{ pattern: 'A-{SEQ:3}', colour: 'red' }, 400, 'body', 'unknown field colour'],
      [{ pattern: 'A-{SEQ:3}', part: '0000000000000000000000000a' }, 404, 'part', 'not found'],
      [{ pattern: 'A-{SEQ:3}', name: '' }, 400, 'name', 'must not be empty'],
    ])('refuses %j with %i naming %s, changing nothing', async (body, status, field, message) => {
      const before = await rowCount(ctx.db, 'serial_format');
      const res = await api.call('POST', '/api/v1/serial-formats', { name: 'Bad', ...body });
      expect(res.status).toBe(status);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toContain(message);
      expect(await rowCount(ctx.db, 'serial_format')).toBe(before);
    });

    it('refuses a second format of the same name (any case)', async () => {
      await createFormat({ name: 'Twin', pattern: 'T-{SEQ:3}' });
      const res = await api.call('POST', '/api/v1/serial-formats', {
        name: 'TWIN',
        pattern: 'U-{SEQ:3}',
      });
      expect(res.status).toBe(409);
      expect(res.body.error.field).toBe('name');
    });

    it('previews a pattern and a format without consuming a number', async () => {
      const preview = await api.call('POST', '/api/v1/serial-formats/preview', {
        pattern: 'ACME-{YY}{WW}-{SEQ:5}',
        count: 2,
      });
      expect(preview.body.serials).toEqual(['ACME-2710-00001', 'ACME-2710-00002']);
      const tooMany = await api.call('POST', '/api/v1/serial-formats/preview', {
        pattern: 'A-{SEQ:2}',
        count: 21,
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.field).toBe('count');
      const perPart = await createFormat({ pattern: 'PX-{SEQ:2}', scope: 'part' });
      const noPart = await api.call('GET', `/api/v1/serial-formats/${perPart.code}/preview`);
      expect(noPart.status).toBe(400);
      expect(noPart.body.error.field).toBe('part');
      const withPart = await api.call(
        'GET',
        `/api/v1/serial-formats/${perPart.code}/preview?count=1&part=${project.part}`,
      );
      expect(withPart.body.serials).toEqual(['PX-01']);
      const bad = await api.call('POST', '/api/v1/serial-formats/preview', { pattern: '{BAD}' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('pattern');
      const format = await createFormat({ pattern: 'P-{SEQ:4}' });
      const build = await startBuild(3, { serialFormat: format.code });
      const next = await api.call('GET', `/api/v1/serial-formats/${format.code}/preview?count=2`);
      expect(next.body.serials).toEqual(['P-0004', 'P-0005']);
      await api.call('GET', `/api/v1/serial-formats/${format.code}/preview?count=2`);
      const more = await api.call('POST', `/api/v1/serial-formats/${format.code}/assign`, {
        build: (await startBuild(1)).code,
      });
      expect(more.body.items.map((i: { serial: string }) => i.serial)).toEqual(['P-0004']);
      expect((await units(build.code)).map((u) => u.name)).toEqual(['P-0001', 'P-0002', 'P-0003']);
    });

    it('assigns serials to every unit as a build starts: lot names, history, resolver', async () => {
      const format = await createFormat({ pattern: 'ACME-{YY}{WW}-{SEQ:5}' });
      const build = await startBuild(3, { serialFormat: format.name });
      const rows = await units(build.code);
      expect(rows.map((u) => [u.build_serial, u.name, u.value])).toEqual([
        [1, 'ACME-2710-00001', 'ACME-2710-00001'],
        [2, 'ACME-2710-00002', 'ACME-2710-00002'],
        [3, 'ACME-2710-00003', 'ACME-2710-00003'],
      ]);
      const listed = await api.call('GET', `/api/v1/builds/${build.code}/units`);
      expect(
        listed.body.items.map((u: { customerSerials: string[] }) => u.customerSerials),
      ).toEqual([['ACME-2710-00001'], ['ACME-2710-00002'], ['ACME-2710-00003']]);
      const history = await api.call('GET', `/api/v1/lots/${rows[1]!.code}/history`);
      const events = (history.body.items ?? history.body) as {
        type: string;
        data: { serial?: string };
      }[];
      expect(events.find((e) => e.type === 'serial_assigned')?.data.serial).toBe('ACME-2710-00002');
      const found = await api.call('GET', '/api/v1/resolve?q=acme-2710-00002');
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ kind: 'lot', code: rows[1]!.code, matchedBy: 'serial' });
      const missing = await api.call('GET', '/api/v1/resolve?q=ACME-2710-99999');
      expect(missing.status).toBe(404);
      expect(missing.body.error.field).toBe('q');
      const serials = await api.call('GET', `/api/v1/lots/${rows[0]!.code}/serials`);
      expect(serials.body.items).toEqual([
        {
          format: { code: format.code, name: format.name },
          serial: 'ACME-2710-00001',
          assignedAt: FIXED.toISOString(),
        },
      ]);
    });

    it('a build start with an unknown format or an unserialized build changes nothing', async () => {
      const before = {
        builds: await rowCount(ctx.db, 'build'),
        serials: await rowCount(ctx.db, 'customer_serial'),
      };
      const unknown = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 2,
        location: line,
        serialFormat: 'no such format',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.field).toBe('serialFormat');
      const format = await createFormat({ pattern: 'Q-{SEQ:3}' });
      const unserialized = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 2,
        location: line,
        serialized: false,
        serialFormat: format.code,
      });
      expect(unserialized.status).toBe(400);
      expect(unserialized.body.error.field).toBe('serialFormat');
      expect({
        builds: await rowCount(ctx.db, 'build'),
        serials: await rowCount(ctx.db, 'customer_serial'),
      }).toEqual(before);
    });

    it('assigns later to chosen units (serials, ranges, codes) into a custom field; skips units that have one', async () => {
      const format = await createFormat({
        pattern: 'F-{SEQ:3}',
        target: 'field',
        fieldName: 'Customer SN',
      });
      const build = await startBuild(6);
      const rows = await units(build.code);
      const first = await api.call('POST', `/api/v1/serial-formats/${format.code}/assign`, {
        build: build.code,
        units: [{ from: 2, to: 3 }, 5, rows[0]!.code],
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ assigned: 4, skipped: 0 });
      expect(
        first.body.items.map((i: { buildSerial: number; serial: string }) => [
          i.buildSerial,
          i.serial,
        ]),
      ).toEqual([
        [1, 'F-001'],
        [2, 'F-002'],
        [3, 'F-003'],
        [5, 'F-004'],
      ]);
      const field = await ctx.db
        .selectFrom('object_field')
        .select('value')
        .where('object_code', '=', rows[4]!.code)
        .where('key', '=', 'Customer SN')
        .executeTakeFirst();
      expect(field?.value).toBe('F-004');
      expect((await units(build.code))[4]!.name).toBe(''); // the name is left alone
      const rest = await api.call('POST', `/api/v1/serial-formats/${format.code}/assign`, {
        build: build.code,
      });
      expect(rest.body).toMatchObject({ assigned: 2, skipped: 4 });
      expect(rest.body.items.map((i: { serial: string }) => i.serial)).toEqual(['F-005', 'F-006']);
      const again = await api.call('POST', `/api/v1/serial-formats/${format.code}/assign`, {
        units: [rows[0]!.code],
      });
      expect(again.status).toBe(409);
      expect(again.body.error.field).toBe('units');
    });

    it.each([
      [{}, 400, 'build'],
      [{ units: [1] }, 400, 'units.0'],
      [{ build: 'BUILD', units: [99] }, 400, 'units.0'],
      [{ units: ['0000000000000000000000000a'] }, 404, 'units'],
      [{ build: '0000000000000000000000000a' }, 404, 'build'],
      [{ build: 'BUILD', units: [] }, 400, 'units'],
    ])('refuses assignment %j with %i naming %s, changing nothing', async (body, status, field) => {
      const format = await createFormat({ pattern: 'R-{SEQ:3}' });
      const build = await startBuild(2);
      const payload = JSON.parse(
        JSON.stringify(body).replace('"BUILD"', JSON.stringify(build.code)),
      );
      const before = await rowCount(ctx.db, 'customer_serial');
      const res = await api.call('POST', `/api/v1/serial-formats/${format.code}/assign`, payload);
      expect(res.status).toBe(status);
      expect(res.body.error.field).toBe(field);
      expect(await rowCount(ctx.db, 'customer_serial')).toBe(before);
      const nowhere = await api.call('POST', '/api/v1/serial-formats/nothing-here/assign', {
        build: build.code,
      });
      expect(nowhere.status).toBe(404);
    });

    it('a viewer may preview but not assign', async () => {
      const format = await createFormat({ pattern: 'V-{SEQ:3}' });
      const build = await startBuild(1);
      const res = await api.call(
        'POST',
        `/api/v1/serial-formats/${format.code}/assign`,
        { build: build.code },
        'viewer',
      );
      expect(res.status).toBe(403);
      const preview = await api.call(
        'POST',
        '/api/v1/serial-formats/preview',
        { pattern: 'V-{SEQ:3}' },
        'viewer',
      );
      expect(preview.status).toBe(200);
    });

    it('{BUILD}-{N} needs no counter; per-part scope counts each part on its own', async () => {
      const byBuild = await createFormat({ pattern: 'SN-{BUILD}-{N}' });
      const build = await startBuild(2, { serialFormat: byBuild.code });
      expect((await units(build.code)).map((u) => u.name)).toEqual([
        `SN-${build.shortCode}-1`,
        `SN-${build.shortCode}-2`,
      ]);
      const perPart = await createFormat({ pattern: 'PP-{SEQ:2}', scope: 'part' });
      const other = await makeProject(ctx, []);
      const a = await startBuild(2, { serialFormat: perPart.code });
      const b = await api.call('POST', '/api/v1/builds', {
        project: other.code,
        quantity: 2,
        location: line,
        serialFormat: perPart.code,
      });
      expect((await units(a.code)).map((u) => u.name)).toEqual(['PP-01', 'PP-02']);
      expect((await units(b.body.code)).map((u) => u.name)).toEqual(['PP-01', 'PP-02']);
      const resolved = await api.call('GET', '/api/v1/resolve?q=PP-01');
      expect(resolved.status).toBe(409); // two units wear PP-01 (different parts): never a guess
      expect(resolved.body.error.candidates).toHaveLength(2);
      const onlyPart = await createFormat({
        pattern: 'OP-{SEQ:2}',
        part: (await makePart(ctx)).code,
      });
      const wrong = await api.call('POST', `/api/v1/serial-formats/${onlyPart.code}/assign`, {
        build: a.code,
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.field).toBe('format');
      const atStart = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 1,
        location: line,
        serialFormat: onlyPart.code,
      });
      expect(atStart.status).toBe(400);
      expect(atStart.body.error.field).toBe('serialFormat');
      expect(atStart.body.error.message).toContain('the format is for that part only');
    });

    it('50 parallel assignments from one format: all distinct, numbers 1..50 without gaps', async () => {
      // Invariant: the counter hands out disjoint blocks and the unique constraint refuses any
      // duplicate, whatever the interleaving; nothing failed here, so there are no gaps.
      const format = await createFormat({ pattern: 'PAR-{SEQ:4}' });
      const build = await startBuild(50);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          api.call('POST', `/api/v1/serial-formats/${format.code}/assign`, {
            build: build.code,
            units: [i + 1],
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      const values = answers.map((a) => a.body.items[0].serial as string);
      expect(new Set(values).size).toBe(50);
      expect([...values].sort()).toEqual(
        Array.from({ length: 50 }, (_, i) => `PAR-${String(i + 1).padStart(4, '0')}`),
      );
      const rows = await units(build.code);
      expect(rows.every((u) => u.name === u.value)).toBe(true);
    });

    it('50 parallel requests through two servers, 10 of them for units asked for twice: 40 win, numbers 1..40', async () => {
      // Invariant: a failed request changes nothing, its numbers included (its transaction rolls
      // back the counter too), so the serials given stay contiguous; every unit gets exactly one.
      const format = await createFormat({ pattern: 'TWO-{SEQ:4}' });
      const build = await startBuild(40);
      const second =
        dialect === 'postgres'
          ? openDatabase({ url: api.database.url, schema: api.database.schema })
          : undefined;
      const other = second ? await buildApp({ ctx: createContext(second.db) }) : api.app;
      try {
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 ? api.app : other).inject({
              method: 'POST',
              url: `/api/v1/serial-formats/${format.code}/assign`,
              headers: { authorization: `Bearer ${api.keys.editor}` },
              payload: { build: build.code, units: [(i % 40) + 1] },
            }),
          ),
        );
        const statuses = answers.map((a) => a.statusCode);
        expect(statuses.filter((s) => s === 200)).toHaveLength(40);
        expect(statuses.filter((s) => s === 409)).toHaveLength(10);
        for (const failed of answers.filter((a) => a.statusCode === 409))
          expect(failed.json().error.field).toBe('units');
        const rows = await units(build.code);
        expect(rows.map((u) => u.value).sort()).toEqual(
          Array.from({ length: 40 }, (_, i) => `TWO-${String(i + 1).padStart(4, '0')}`),
        );
        const counter = await ctx.db
          .selectFrom('serial_counter')
          .select('next_value')
          .where('format_code', '=', format.code)
          .executeTakeFirstOrThrow();
        expect(Number(counter.next_value)).toBe(41);
      } finally {
        if (second) {
          await other.close();
          await second.close();
        }
      }
    });

    it('two parallel assignments to the same units: one wins, the other changes nothing', async () => {
      const format = await createFormat({ pattern: 'DUO-{SEQ:4}' });
      const build = await startBuild(5);
      const answers = await Promise.all(
        [0, 1].map(() =>
          api.call('POST', `/api/v1/serial-formats/${format.code}/assign`, { build: build.code }),
        ),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 409]);
      const rows = await units(build.code);
      expect(rows.map((u) => u.value)).toEqual([
        'DUO-0001',
        'DUO-0002',
        'DUO-0003',
        'DUO-0004',
        'DUO-0005',
      ]);
    });

    it('after a restore sets the counter back, assignment skips the numbers used and never duplicates', async () => {
      const format = await createFormat({ pattern: 'RST-{SEQ:4}' });
      await startBuild(3, { serialFormat: format.code }); // RST-0001..0003
      // Back up the counter as it stands (SQLite: a copy of the database file; PostgreSQL: the
      // counter rows saved into a scratch table).
      const backup = path.join(scratch, 'backup.db');
      if (dialect === 'sqlite') await sql`vacuum into ${sql.lit(backup)}`.execute(ctx.db);
      else await sql`create table saved_counter as select * from serial_counter`.execute(ctx.db);
      const later = await startBuild(4, { serialFormat: format.code }); // RST-0004..0007
      expect((await units(later.code)).map((u) => u.value)).toEqual([
        'RST-0004',
        'RST-0005',
        'RST-0006',
        'RST-0007',
      ]);
      // Restore: the counter goes back in time; the units and their serials stay.
      await behindTheApp(() =>
        ctx.db.transaction().execute(async (trx) => {
          await trx.deleteFrom('serial_counter').execute();
          if (dialect === 'sqlite') {
            await sql`attach database ${sql.lit(backup)} as old`.execute(trx);
            await sql`insert into serial_counter select * from old.serial_counter`.execute(trx);
          } else {
            await sql`insert into serial_counter select * from saved_counter`.execute(trx);
          }
        }),
      );
      if (dialect === 'sqlite') await sql`detach database old`.execute(ctx.db);
      const counter = await ctx.db
        .selectFrom('serial_counter')
        .select('next_value')
        .where('format_code', '=', format.code)
        .executeTakeFirstOrThrow();
      expect(Number(counter.next_value)).toBe(4);
      const after = await startBuild(3, { serialFormat: format.code });
      expect((await units(after.code)).map((u) => u.value)).toEqual([
        'RST-0008',
        'RST-0009',
        'RST-0010',
      ]);
      // Partly behind: the counter restored to 6 gives 0011.. after skipping 0006–0010.
      await behindTheApp(() =>
        ctx.db
          .updateTable('serial_counter')
          .set({ next_value: 6 })
          .where('format_code', '=', format.code)
          .execute(),
      );
      const single = await startBuild(2, { serialFormat: format.code });
      expect((await units(single.code)).map((u) => u.value)).toEqual(['RST-0011', 'RST-0012']);
      const all = await ctx.db
        .selectFrom('customer_serial')
        .select('value')
        .where('format_code', '=', format.code)
        .execute();
      expect(new Set(all.map((r) => r.value)).size).toBe(all.length);
      expect(all).toHaveLength(12);
    });

    it('the database refuses a duplicate serial within a scope', async () => {
      const format = await createFormat({ pattern: 'DB-{SEQ:2}' });
      const build = await startBuild(2, { serialFormat: format.code });
      const [first, second] = await units(build.code);
      // The unique index, not the change guard, must refuse it.
      await expect(
        behindTheApp(() =>
          ctx.db
            .updateTable('customer_serial')
            .set({ value: first!.value! })
            .where('lot_code', '=', second!.code)
            .execute(),
        ),
      ).rejects.toThrow(/unique|duplicate/i);
    });
  });
}
