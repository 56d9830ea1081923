import { listBuildUnits } from '../../src/builds/build-view.service.js';
import { startBuild } from '../../src/builds/build.service.js';
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
