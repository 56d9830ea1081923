import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStoreIn, storedFiles } from '../src/attachments/file-store.js';
import { uploadAttachment } from '../src/attachments/attachment.service.js';
import { login } from '../src/auth/session.service.js';
import { ensureFirstAdmin, createUser } from '../src/auth/user.service.js';
import { finishBuild } from '../src/builds/build.service.js';
import { createContext } from '../src/context.js';
import { LATEST_MIGRATION } from '../src/db/database.js';
import { loadDemo } from '../src/demo/demo.service.js';
import type { DemoSummary } from '../src/demo/demo.schemas.js';
import { voidTestResult } from '../src/test-results/test-result.service.js';
import { PNG } from './support/attachment-files.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, testContext } from './support/factories.js';
import { rowCount, rowCounts } from './support/row-counts.js';

const PASSWORD = 'correct horse battery';

/** Every file of an export directory → its bytes; the manifest without its exportedAt. */
function dump(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const file = path.join(dir, name);
    if (name === 'files') continue;
    const bytes = readFileSync(file);
    if (name !== 'manifest.json') {
      out[name] = bytes.toString('base64');
      continue;
    }
    const manifest = JSON.parse(bytes.toString('utf8'));
    expect(manifest.exportedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    delete manifest.exportedAt;
    out[name] = JSON.stringify(manifest);
  }
  return out;
}

/**
 * Moving an instance between databases (docs/sites.md): an export of a rich SQLite instance
 * (the demo company, an attachment, a signature, a correction), imported into PostgreSQL and
 * exported again, is the same export byte for byte; and back into SQLite the same again.
 */
describe.skipIf(!DIALECTS.includes('postgres'))('tracelot export / import', () => {
  let dir: string;
  let source: TestDatabase;
  let target: TestDatabase;
  let sourceEnv: Record<string, string>;
  let targetEnv: Record<string, string>;
  let demo: DemoSummary;
  let attachment: string;
  const exportA = () => path.join(dir, 'a');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tracelot-transfer-'));
    const data = path.join(dir, 'sqlite');
    source = await createTestDatabase('sqlite', path.join(data, 'tracelot.db'));
    sourceEnv = cliEnv(source, data);
    const ctx = testContext(source.db);
    demo = await loadDemo(ctx, admin);
    const { user } = await createUser(ctx, admin, {
      username: 'quality',
      role: 'editor',
      password: PASSWORD,
    });
    await finishBuild(
      ctx,
      { code: user.code, name: user.username, role: 'editor' },
      demo.builds.inProgress,
      {
        allowIncomplete: true,
        note: 'units 4–5 scrapped at SMT',
        signature: { password: PASSWORD, meaning: 'approved' },
      },
    );
    const first = await source.db
      .selectFrom('test_result')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await voidTestResult(ctx, admin, first.id, { reason: 'recorded on the wrong unit' });
    attachment = (
      await uploadAttachment(
        ctx,
        fileStoreIn(data),
        admin,
        { subject: demo.returnedUnit, name: 'repair.png' },
        Readable.from([PNG]),
      )
    ).code;

    // The target as its first start leaves it: migrated, with the first admin.
    target = await createTestDatabase('postgres');
    const firstAdmin = await ensureFirstAdmin(createContext(target.db));
    await login(createContext(target.db), {
      username: firstAdmin!.username,
      password: firstAdmin!.password,
    });
    targetEnv = { ...cliEnv(target, ''), TRACELOT_DATA: path.join(dir, 'pg') };
  }, 120_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite → PostgreSQL → SQLite reproduces the instance byte for byte', async () => {
    const exported = await cli(sourceEnv, 'export', exportA(), '--json');
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    const manifest = json(exported);
    const rows = (table: string) => manifest.tables.find((t: any) => t.table === table)?.rows;
    expect(manifest.files).toEqual({ count: 1, bytes: PNG.length });
    expect(rows('change_record')).toBe(manifest.head.seq);
    expect(rows('part')).toBe(18);
    expect(rows('user_session')).toBeUndefined();
    // The signed finish and the voided result are in it: the record of record moves whole.
    const records = readFileSync(path.join(exportA(), 'change_record.jsonl'), 'utf8');
    expect(records).toContain('"operation":"signed"');
    expect(readFileSync(path.join(exportA(), 'test_result.jsonl'), 'utf8')).toContain(
      '"void_reason":"recorded on the wrong unit"',
    );

    const imported = await cli(targetEnv, 'import', exportA());
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('change_record: ');
    expect(imported.stdout).toMatch(
      new RegExp(
        `verify:\\s+OK: ${manifest.head.seq} records, chain head ${manifest.head.seq} ${manifest.head.hash}`,
      ),
    );
    // The first admin and its session were replaced by the exported users.
    expect(await rowCount(target.db, 'user_session')).toBe(0);
    const b = path.join(dir, 'b');
    expect((await cli(targetEnv, 'export', b, '--json')).code).toBe(0);
    expect(dump(b)).toEqual(dump(exportA()));

    const back = { TRACELOT_DATA: path.join(dir, 'sqlite-again'), TRACELOT_DATABASE_URL: '' };
    const again = await cli(back, 'import', b, '--json');
    expect(again.code).toBe(0);
    expect(json(again)).toMatchObject({
      site: manifest.site,
      head: { seq: manifest.head.seq, hash: manifest.head.hash },
      files: 1,
      verified: { ok: true, records: manifest.head.seq },
    });
    const c = path.join(dir, 'c');
    expect((await cli(back, 'export', c, '--json')).code).toBe(0);
    expect(dump(c)).toEqual(dump(b));

    // The imported instances verify with the exported chain head, resolve a scanned code to
    // the same object, and serve the attachment's bytes.
    for (const env of [targetEnv, back]) {
      const verify = json(await cli(env, 'audit', 'verify', '--json'));
      expect(verify).toMatchObject({ ok: true, stateChecked: true });
      expect(verify.head).toMatchObject({ site: manifest.site.id, ...manifest.head });
      const scanned = demo.returnedUnit.slice(0, 8).toUpperCase();
      expect(json(await cli(env, 'resolve', scanned, '--json'))).toEqual(
        json(await cli(sourceEnv, 'resolve', scanned, '--json')),
      );
      const out = path.join(dir, `out-${env === back ? 'sqlite' : 'pg'}.png`);
      expect((await cli(env, 'attachment', 'get', attachment, '-o', out)).code).toBe(0);
      expect(readFileSync(out).equals(PNG)).toBe(true);
    }
  }, 180_000);

  it('refuses a target that holds more than its first start wrote, and changes nothing', async () => {
    const before = await rowCounts(target.db);
    expect(before.part).toBe(18);
    const refused = await cli(targetEnv, 'import', exportA());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('database: the target instance is not empty: it holds');
    expect(refused.stderr).toContain('part (18 rows)');
    expect(await rowCounts(target.db)).toEqual(before);
  }, 60_000);

  it('refuses a changed byte, naming the file, before writing anything', async () => {
    const fresh = await createTestDatabase('sqlite', path.join(dir, 'fresh', 'tracelot.db'));
    const env = cliEnv(fresh, path.join(dir, 'fresh'));
    try {
      const before = await rowCounts(fresh.db);
      const tamper = (name: string, file: string) => {
        const copy = path.join(dir, name);
        cpSync(exportA(), copy, { recursive: true });
        const bytes = readFileSync(path.join(copy, file));
        bytes[Math.floor(bytes.length / 2)]! ^= 1;
        writeFileSync(path.join(copy, file), bytes);
        return copy;
      };

      const lots = await cli(env, 'import', tamper('lot-changed', 'lot.jsonl'));
      expect(lots.code).toBe(2);
      expect(lots.stderr).toMatch(/lot\.jsonl: its SHA-256 is [0-9a-f]{64}, the manifest says/);

      const sha256 = readdirSync(path.join(exportA(), 'files'))[0]!;
      const files = await cli(env, 'import', tamper('file-changed', `files/${sha256}`));
      expect(files.code).toBe(2);
      expect(files.stderr).toContain(`files/${sha256}: its content's SHA-256 is`);

      expect(await rowCounts(fresh.db)).toEqual(before);
      expect(await storedFiles(fileStoreIn(path.join(dir, 'fresh')))).toEqual([]);
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it('refuses a manifest of another migration, and a directory that is not empty', async () => {
    const other = path.join(dir, 'other-migration');
    cpSync(exportA(), other, { recursive: true });
    const manifestFile = path.join(other, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, migration: '0016_stock_aside' }));
    const env = { TRACELOT_DATA: path.join(dir, 'other-target'), TRACELOT_DATABASE_URL: '' };
    const refused = await cli(env, 'import', other);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `manifest.migration: the export's schema is at migration 0016_stock_aside, this Tracelot's at ${LATEST_MIGRATION}: import with the Tracelot version that wrote the export`,
    );

    const full = await cli(sourceEnv, 'export', exportA());
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('is not empty: export into a new or empty directory');
  }, 60_000);
});
