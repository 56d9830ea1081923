import { listBuildUnits, startBuild } from '../../src/builds/build.service.js';
import type { Database } from '../../src/db/database.js';
import { makeProject, stock } from './build-factories.js';
import { admin, makeLocation, type TestContext } from './factories.js';

/** Available units of a finished serialized build (one part placed per unit), in serial order. */
export async function makeUnits(ctx: TestContext, count: number, location?: string) {
  const where = location ?? (await makeLocation(ctx)).code;
  const project = await makeProject(ctx, [{ perUnit: 1 }]);
  await stock(ctx, project.parts[0]!, [count], where);
  const build = await startBuild(ctx, admin, {
    project: project.code,
    quantity: count,
    location: where,
    run: true,
  });
  const units: { code: string; label: string }[] = [];
  while (units.length < count) {
    const page = await listBuildUnits(ctx, build.code, { limit: 500, offset: units.length });
    units.push(...page.items.map((u) => ({ code: u.code, label: u.label })));
  }
  return { build, location: where, part: project.part, units };
}

/** Rows of every table a shipment writes: a refused request must leave them all unchanged. */
export async function shipmentCounts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'shipment',
    'shipment_unit',
    'stock_balance',
    'stock_entry',
    'history_event',
    'object_code',
  ] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}
