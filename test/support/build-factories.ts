import type { Context } from '../../src/context.js';
import { toJsonText } from '../../src/db/json-text.js';
import { QUANTITY_SCALE } from '../../src/domain/quantity.js';
import { registerCodes } from '../../src/db/object-code.repository.js';
import { receiveStock } from '../../src/stock/stock.service.js';
import { admin, makeLocation, makePart, type TestContext } from './factories.js';

export interface EntrySpec {
  perUnit?: number;
  stage?: number;
  dnp?: boolean;
  substitutes?: string[];
  attritionPpm?: number;
  designators?: string;
  part?: string;
}

/**
 * A project with its sub-assembly part and a BOM, written straight into the tables (the
 * projects service has its own tests); parts are made for entries that name none.
 */
export async function makeProject(
  ctx: Context,
  specs: EntrySpec[],
  name = `Board ${Math.random()}`,
) {
  const output = await makePart(ctx, { name: `${name} assembly`, kind: 'sub_assembly' });
  const code = ctx.newCode();
  const at = ctx.clock().toISOString();
  await registerCodes(ctx.db, 'project', [code]);
  await ctx.db
    .insertInto('project')
    .values({
      code,
      name,
      description: '',
      notes: '',
      part_code: output.code,
      archived: 0,
      created_at: at,
      updated_at: at,
    })
    .execute();
  const parts: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const part = spec.part ?? (await makePart(ctx, { name: `${name} part ${i + 1}` })).code;
    parts.push(part);
    await ctx.db
      .insertInto('bom_entry')
      .values({
        project_code: code,
        position: i + 1,
        part_code: part,
        quantity: (spec.perUnit ?? 1) * QUANTITY_SCALE,
        designators: spec.designators ?? `R${i + 1}`,
        substitutes: toJsonText(spec.substitutes ?? []),
        allow_substitutes: 1,
        dnp: spec.dnp ? 1 : 0,
        stage: spec.stage ?? 1,
        attrition_ppm: spec.attritionPpm ?? 0,
        attrition_fixed: 0,
        comments: '',
      })
      .execute();
  }
  return { code, name, part: output.code, parts };
}

/** Receives lots of a part: one per quantity given, oldest first. */
export async function stock(
  ctx: TestContext,
  part: string,
  quantities: number[],
  location?: string,
) {
  const where = location ?? (await makeLocation(ctx)).code;
  const lots: string[] = [];
  for (const quantity of quantities) {
    const received = await receiveStock(ctx, admin, [{ part, location: where, quantity }]);
    lots.push(received.lots[0]!.code);
    // Distinct receipt times keep FIFO order deterministic.
    ctx.clock.advance(2);
  }
  return { location: where, lots };
}
