import { describe, expect, it } from 'vitest';
import { cancelBuild, startBuild } from '../src/builds/build.service.js';
import { completeStage } from '../src/builds/stage-completion.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { buildSuite } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin, makePart } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: changing a line of a build's BOM`, () => {
    const suite = buildSuite(dialect);

    const patch = (build: string, position: number, body: object) =>
      suite.api.call('PATCH', `/api/v1/builds/${build}/bom/${position}`, body);
    const lines = (entries: { position: number; part: { code: string }; quantity: number }[]) =>
      entries.map((e) => [e.position, e.part.code, e.quantity]);

    async function twoStageBuild() {
      const project = await makeProject(suite.ctx, [{ perUnit: 2 }, { perUnit: 1, stage: 2 }]);
      const build = await startBuild(suite.ctx, admin, {
        project: project.code,
        quantity: 3,
        location: suite.line,
      });
      return { project, build };
    }

    it('substitutes a part, changes a quantity, adds and removes lines, with the reason in the history', async () => {
      const { project, build } = await twoStageBuild();
      const substitute = await makePart(suite.ctx, { name: `Substitute ${dialect}` });
      const reel = await stock(suite.ctx, substitute.code, [20]);
      const changed = await patch(build.code, 2, {
        part: substitute.code,
        quantity: 2,
        reason: 'part 2 is out: the second source, twice',
      });
      expect(changed.status).toBe(200);
      expect(lines(changed.body.entries)).toEqual([
        [1, project.parts[0], 2],
        [2, substitute.code, 2],
      ]);
      // The project's BOM is not the build's copy.
      const bom = await suite.api.call('GET', `/api/v1/projects/${project.code}/bom`);
      expect(bom.body.entries[1].part.code).toBe(project.parts[1]);

      const added = await patch(build.code, 5, {
        part: project.parts[0],
        quantity: '4',
        stage: 2,
        reason: 'a shim the drawing forgot',
      });
      expect(lines(added.body.entries)).toEqual([
        [1, project.parts[0], 2],
        [2, substitute.code, 2],
        [5, project.parts[0], 4],
      ]);
      const removed = await patch(build.code, 5, { remove: true, reason: 'not needed after all' });
      expect(lines(removed.body.entries)).toHaveLength(2);

      // Stage 2 takes the substitute now.
      await stock(suite.ctx, project.parts[0]!, [100]);
      await completeStage(suite.ctx, admin, build.code, 1, {});
      const done = await completeStage(suite.ctx, admin, build.code, 2, {});
      expect(done.consumed.map((c) => [c.entryNo, c.lot.code, c.quantity])).toEqual([
        [2, reel.lots[0], 6],
      ]);

      const events = (await historyRows(suite.ctx.db, build.code)).filter(
        (e) => e.type === 'build_bom_changed',
      );
      expect(events.map((e) => e.data)).toEqual([
        {
          entryNo: 2,
          before: {
            part: { code: project.parts[1], name: expect.any(String) },
            quantity: 1,
            stage: 2,
          },
          after: { part: { code: substitute.code, name: substitute.name }, quantity: 2, stage: 2 },
          reason: 'part 2 is out: the second source, twice',
        },
        {
          entryNo: 5,
          before: null,
          after: {
            part: { code: project.parts[0], name: expect.any(String) },
            quantity: 4,
            stage: 2,
          },
          reason: 'a shim the drawing forgot',
        },
        {
          entryNo: 5,
          before: {
            part: { code: project.parts[0], name: expect.any(String) },
            quantity: 4,
            stage: 2,
          },
          after: null,
          reason: 'not needed after all',
        },
      ]);
      const timeline = (await suite.api.call('GET', `/api/v1/builds/${build.code}/timeline`)).body
        .items;
      expect(timeline.filter((e: { type: string }) => e.type === 'bom_changed')).toEqual([
        expect.objectContaining({ entryNo: 2, note: 'part 2 is out: the second source, twice' }),
        expect.objectContaining({ entryNo: 5, before: null }),
        expect.objectContaining({ entryNo: 5, after: null, note: 'not needed after all' }),
      ]);
    });

    it('refuses a line whose stage has a completion that counts, until it is reversed', async () => {
      const { project, build } = await twoStageBuild();
      await stock(suite.ctx, project.parts[0]!, [100]);
      const c = await completeStage(suite.ctx, admin, build.code, 1, { units: [1] });
      const before = await rowCounts(suite.ctx.db);
      const refused = await patch(build.code, 1, { quantity: 3, reason: 'more' });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({
        field: 'position',
        message: `position: stage 1 has completions that count (${c.completion}): reverse them before changing its lines`,
      });
      // Nor may a line move into that stage.
      expect((await patch(build.code, 2, { stage: 1, reason: 'earlier' })).status).toBe(409);
      expect(await rowCounts(suite.ctx.db)).toEqual(before);
      await suite.api.call(
        'POST',
        `/api/v1/builds/${build.code}/completions/${c.completion}/reverse`,
        {
          reason: 'wrong quantity',
        },
      );
      const changed = await patch(build.code, 1, { quantity: 3, reason: 'more' });
      expect(changed.status).toBe(200);
      expect(changed.body.entries[0].quantity).toBe(3);
    });

    it('bad input is a 4xx naming the field, and changes nothing', async () => {
      const { project, build } = await twoStageBuild();
      const before = await rowCounts(suite.ctx.db);
      const cases: [number, object, number, string][] = [
        [1, { quantity: 3 }, 400, 'reason'],
        [1, { quantity: 3, reason: '  ' }, 400, 'reason'],
        [1, { reason: 'nothing' }, 400, 'part'],
        [1, { quantity: 2, reason: 'same' }, 400, 'part'],
        [1, { quantity: -1, reason: 'x' }, 400, 'quantity'],
        [1, { quantity: '1.5', reason: 'x' }, 400, 'quantity'],
        [1, { part: 'zzzz', reason: 'x' }, 400, 'part'],
        // A code that exists nowhere: the part's own with its last character changed.
        [
          1,
          { part: project.part.replace(/.$/, (c) => (c === '0' ? '1' : '0')), reason: 'x' },
          404,
          'part',
        ],
        [1, { remove: true, quantity: 1, reason: 'x' }, 400, 'remove'],
        [9, { remove: true, reason: 'x' }, 404, 'position'],
        [9, { part: project.parts[0], reason: 'x' }, 400, 'quantity'],
        [1, { quantity: 1, reason: 'x', extra: 1 }, 400, 'body'],
      ];
      for (const [position, body, status, field] of cases) {
        const res = await patch(build.code, position, body);
        expect([position, body, res.status, res.body.error?.field]).toEqual([
          position,
          body,
          status,
          field,
        ]);
      }
      expect(await rowCounts(suite.ctx.db)).toEqual(before);
      await cancelBuild(suite.ctx, admin, build.code, { reason: 'no longer needed' });
      const cancelled = await patch(build.code, 1, { quantity: 3, reason: 'x' });
      expect([cancelled.status, cancelled.body.error.field]).toEqual([409, 'build']);
    });
  });
}
