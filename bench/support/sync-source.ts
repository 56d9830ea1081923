import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startBuild } from '../../src/builds/build.service.js';
import { migrations } from '../../src/db/migrations/index.js';
import { inTransaction, openDatabase } from '../../src/db/database.js';
import { appendHistory } from '../../src/history/history.repository.js';
import { prepareBuildFixture } from './build-fixture.js';
import { benchActor } from './dataset.js';
import { DATA_ROOT } from './paths.js';
import { line, perSecond, progress } from './report.js';

/**
 * The data folder of makeSyncSource, cached under bench/.data/ (keyed by the schema) and built
 * beside its place first, so an interrupted build is never used. Copy it before serving it.
 */
export async function syncSource(records: number, units: number): Promise<string> {
  const key = createHash('sha256')
    .update(Object.keys(migrations).join(','))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(DATA_ROOT, `sync-${records}-${units}-${key}`);
  if (existsSync(path.join(dir, 'done'))) return dir;
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  line(`Making a site of ${records.toLocaleString('en-US')} records in ${building} (cached)`);
  await makeSyncSource(building, records, units);
  writeFileSync(path.join(building, 'done'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return dir;
}

/**
 * A site's data folder (SQLite) holding `records` change records, a serialized build of `units`
 * units among them (project, BOM, received stock, the build run to its end); the rest are notes
 * on the build's units, one record each, as a floor's day of scans and notes writes them.
 */
export async function makeSyncSource(
  dir: string,
  records: number,
  units: number,
): Promise<{ build: string }> {
  const handle = openDatabase({ dataDir: dir });
  try {
    const f = await prepareBuildFixture(handle, {
      entries: 5,
      stageOf: () => 1,
      lotsPerEntry: 1,
      lotUnits: units,
    });
    const build = await startBuild(f.ctx, benchActor, {
      project: f.project,
      location: f.location,
      quantity: units,
      serialized: true,
      picking: 'fifo',
      run: true,
    });
    const unitCodes = (
      await handle.db
        .selectFrom('lot')
        .select('code')
        .where('build_code', '=', build.code)
        .where('build_serial', 'is not', null)
        .execute()
    ).map((u) => u.code);
    const count = async () =>
      Number(
        (
          await handle.db
            .selectFrom('change_record')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const start = performance.now();
    const notes = records - (await count());
    for (let i = 0; i < notes; i++) {
      await inTransaction(handle.db, (db) =>
        appendHistory(db, benchActor, new Date().toISOString(), [
          {
            subjectCode: unitCodes[i % unitCodes.length]!,
            type: 'updated',
            data: { comments: { from: `reading ${i - 1}`, to: `reading ${i}` } },
          },
        ]),
      );
      if ((i + 1) % 20_000 === 0)
        progress(
          `${i + 1} of ${notes} notes, ${perSecond(((i + 1) * 1000) / (performance.now() - start))}`,
        );
    }
    const made = await count();
    if (made !== records) throw new Error(`the source holds ${made} records, not ${records}`);
    return { build: build.code };
  } finally {
    await handle.close();
  }
}
