import type { Context } from '../../src/context.js';
import { replaceBom } from '../../src/projects/bom.service.js';
import { createProject } from '../../src/projects/project.service.js';
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
 * A project with its sub-assembly part and a BOM, made through the projects services (so the
 * change log holds them as it would any user's); parts are made for entries that name none.
 */
export async function makeProject(
  ctx: Context,
  specs: EntrySpec[],
  name = `Board ${Math.random()}`,
) {
  const output = await makePart(ctx, { name: `${name} assembly`, kind: 'sub_assembly' });
  const { code } = await createProject(ctx, admin, { name, part: output.code });
  const parts: string[] = [];
  for (const [i, spec] of specs.entries()) {
    parts.push(spec.part ?? (await makePart(ctx, { name: `${name} part ${i + 1}` })).code);
  }
  if (specs.length > 0) {
    await replaceBom(ctx, admin, code, {
      entries: specs.map((spec, i) => ({
        part: parts[i]!,
        quantity: spec.perUnit ?? 1,
        designators: spec.designators ?? `R${i + 1}`,
        substitutes: spec.substitutes ?? [],
        dnp: spec.dnp ?? false,
        stage: spec.stage ?? 1,
        // parts per million as a percentage: 10,000 ppm is 1 %.
        attritionPercent: String((spec.attritionPpm ?? 0) / 10_000),
      })),
    });
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
