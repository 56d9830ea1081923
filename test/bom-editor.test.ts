import { describe, expect, it } from 'vitest';
import { buildSuite } from './support/api.js';
import { makeProject, stock } from './support/build-factories.js';
import { DIALECTS } from './support/databases.js';
import { makePart } from './support/factories.js';
import { historyRows } from './support/history.js';
import { bomRows } from './support/projects.js';
import { rowCounts } from './support/row-counts.js';

/** The BOM editor's API: single entries, many entries' stage, named stages, revisions. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: BOM editor`, () => {
    const suite = buildSuite(dialect);
    const call = (method: string, url: string, body?: unknown) => suite.api.call(method, url, body);
    const ok = async (method: string, url: string, body: unknown, status = 200) => {
      const res = await call(method, url, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      return res.body;
    };
    const bomUrl = (project: string) => `/api/v1/projects/${project}/bom`;
    const stagesUrl = (project: string) => `/api/v1/projects/${project}/stages`;
    /** What the last history event of a project says of its BOM. */
    const lastBomChange = async (project: string) =>
      (await historyRows(suite.ctx.db, project)).at(-1)!.data.bom as Record<string, unknown>;
    const rows = async (project: string) =>
      (await bomRows(suite.ctx.db, project)).map((r) => [r.position, r.part_code, r.stage]);

    it('edits, adds, deletes and reorders lines; sets the stage of many at once', async () => {
      const project = await makeProject(suite.ctx, [{}, {}, {}]);
      const [a, b, c] = project.parts as [string, string, string];
      const extra = (await makePart(suite.ctx, { name: 'Extra' })).code;

      const edited = await ok('PATCH', `${bomUrl(project.code)}/entries/2`, {
        quantity: '3',
        designators: 'C1-C3',
        dnp: false,
        comments: 'place after U1',
        substitutes: [extra],
      });
      expect(edited.entries[1]).toMatchObject({
        position: 2,
        quantity: 3,
        designators: ['C1', 'C2', 'C3'],
        comments: 'place after U1',
        substitutes: [{ code: extra }],
      });

      await ok(
        'POST',
        `${bomUrl(project.code)}/entries`,
        { part: extra, quantity: 1, position: 1 },
        201,
      );
      expect(await rows(project.code)).toEqual([
        [1, extra, 1],
        [2, a, 1],
        [3, b, 1],
        [4, c, 1],
      ]);
      // Move down: the first line to position 2; then delete the last.
      await ok('PATCH', `${bomUrl(project.code)}/entries/1`, { position: 2 });
      await ok('DELETE', `${bomUrl(project.code)}/entries/4`, undefined);
      expect(await rows(project.code)).toEqual([
        [1, a, 1],
        [2, extra, 1],
        [3, b, 1],
      ]);

      const moved = await ok('POST', `${bomUrl(project.code)}/stage`, {
        positions: [1, 3],
        stage: 2,
      });
      expect(moved.entries.map((e: { stage: number }) => e.stage)).toEqual([2, 1, 2]);
      expect(moved.stages).toEqual([
        { stage: 1, name: '', documentation: false, entries: 1 },
        { stage: 2, name: '', documentation: false, entries: 2 },
      ]);
      expect((await lastBomChange(project.code)).changed).toMatchObject({
        count: 2,
        items: [
          { part: a, changes: { stage: { from: 1, to: 2 } } },
          { part: b, changes: { stage: { from: 1, to: 2 } } },
        ],
      });
    });

    it('names stages, adds a documentation stage, renames; the names stay unique', async () => {
      const project = await makeProject(suite.ctx, [{}, { stage: 2 }]);
      await ok('POST', stagesUrl(project.code), { name: 'SMT', stage: 1 }, 201);
      await ok('PATCH', `${stagesUrl(project.code)}/2`, { name: 'Hand soldr' });
      await ok('PATCH', `${stagesUrl(project.code)}/2`, { name: 'Hand solder' });
      const bom = await ok(
        'POST',
        stagesUrl(project.code),
        { name: 'Documentation', documentation: true },
        201,
      );
      expect(bom.stages).toEqual([
        { stage: 1, name: 'SMT', documentation: false, entries: 1 },
        { stage: 2, name: 'Hand solder', documentation: false, entries: 1 },
        { stage: 3, name: 'Documentation', documentation: true, entries: 0 },
      ]);
      const history = (await historyRows(suite.ctx.db, project.code)).map((h) => h.data.stages);
      expect(history.at(-2)).toEqual({
        stage: { stage: 2, name: 'Hand solder', documentation: false },
        was: { name: 'Hand soldr', documentation: false },
      });

      // Refused, changing nothing: each answer names its field.
      const before = await rowCounts(suite.ctx.db);
      const refusals: [string, string, unknown, number, string][] = [
        ['POST', stagesUrl(project.code), { name: 'smt ' }, 400, 'name'],
        ['POST', stagesUrl(project.code), { name: '' }, 400, 'name'],
        ['POST', stagesUrl(project.code), { name: 'x'.repeat(101) }, 400, 'name'],
        ['POST', stagesUrl(project.code), { name: 'Again', stage: 1 }, 409, 'stage'],
        ['PATCH', `${stagesUrl(project.code)}/9`, { name: 'Nine' }, 404, 'stage'],
        ['PATCH', `${stagesUrl(project.code)}/1`, { documentation: true }, 400, 'documentation'],
        ['PATCH', `${bomUrl(project.code)}/entries/1`, { stage: 3 }, 400, 'stage'],
        ['POST', `${bomUrl(project.code)}/stage`, { positions: [1], stage: 3 }, 400, 'stage'],
        [
          'POST',
          `${bomUrl(project.code)}/stage`,
          { positions: [1, 1], stage: 2 },
          400,
          'positions.1',
        ],
        [
          'POST',
          `${bomUrl(project.code)}/stage`,
          { positions: [1, 5], stage: 2 },
          404,
          'positions.1',
        ],
        ['POST', `${bomUrl(project.code)}/stage`, { positions: [], stage: 2 }, 400, 'positions'],
        ['POST', `${bomUrl(project.code)}/stage`, { positions: [1], stage: 0 }, 400, 'stage'],
      ];
      for (const [method, url, body, status, field] of refusals) {
        const res = await call(method, url, body);
        expect(
          [res.status, res.body.error?.field],
          `${method} ${url} ${JSON.stringify(body)}`,
        ).toEqual([status, field]);
      }
      expect(await rowCounts(suite.ctx.db)).toEqual(before);
    });

    it('raises the revision only on the first change after a build used the BOM; a build keeps its own', async () => {
      const project = await makeProject(suite.ctx, [{ perUnit: 1 }]);
      await stock(suite.ctx, project.parts[0]!, [100], suite.line);
      const revision = async () => (await ok('GET', bomUrl(project.code), undefined)).revision;

      // No build yet: edits keep revision 1.
      await ok('PATCH', `${bomUrl(project.code)}/entries/1`, { comments: 'first' });
      await ok('POST', stagesUrl(project.code), { name: 'Assembly', stage: 1 }, 201);
      expect(await revision()).toBe(1);

      const build = await ok(
        'POST',
        '/api/v1/builds',
        { project: project.code, quantity: 2, location: suite.line },
        201,
      );
      expect(build).toMatchObject({ bomRevision: 1, projectBomRevision: 1 });
      expect(build.stages).toMatchObject([{ stage: 1, name: 'Assembly' }]);

      // The first change after the build: revision 2; the next ones stay on 2.
      await ok('PATCH', `${bomUrl(project.code)}/entries/1`, { comments: 'second' });
      expect(await revision()).toBe(2);
      expect((await lastBomChange(project.code)).revision).toEqual({ from: 1, to: 2 });
      await ok('PATCH', `${stagesUrl(project.code)}/1`, { name: 'Assembly and test' });
      await ok('POST', stagesUrl(project.code), { name: 'Label', documentation: true }, 201);
      expect(await revision()).toBe(2);
      expect((await ok('GET', `/api/v1/projects/${project.code}`, undefined)).bomRevision).toBe(2);

      // The build keeps the revision and the stage names it started with.
      const seen = await ok('GET', `/api/v1/builds/${build.code}`, undefined);
      expect(seen).toMatchObject({ bomRevision: 1, projectBomRevision: 2 });
      expect(seen.stages.map((s: { name: string }) => s.name)).toEqual(['Assembly']);

      // A second build takes revision 2 with the documentation stage, which it completes
      // without parts; a change after it makes revision 3.
      const second = await ok(
        'POST',
        '/api/v1/builds',
        { project: project.code, quantity: 1, location: suite.line, run: true },
        201,
      );
      expect(second).toMatchObject({ bomRevision: 2, status: 'finished' });
      expect(second.stages).toMatchObject([
        { stage: 1, name: 'Assembly and test', documentation: false, completedUnits: 1 },
        { stage: 2, name: 'Label', documentation: true, entries: 0, completedUnits: 1 },
      ]);
      await ok('PATCH', `${stagesUrl(project.code)}/2`, { name: 'Labels' });
      expect(await revision()).toBe(3);
    });

    it('imports a stage column by number or by name: names create stages, in file order', async () => {
      const project = await makeProject(suite.ctx, []);
      await ok('POST', stagesUrl(project.code), { name: 'SMT', stage: 1 }, 201);
      const csv = [
        'Reference,Qty,Value,Footprint,MPN,Stage',
        'C1,1,100nF,Capacitor_SMD:C_0402_1005Metric,GRM155R61A104KA01D,smt',
        'J1,1,Conn,Connector:Conn_01x02,CONN-2-EDITOR,Hand solder',
        'R1,1,10k,Resistor_SMD:R_0603_1608Metric,RES-EDITOR-10K,2',
        'TP1,1,TP,TestPoint:TestPoint_Pad_D1.0mm,TP-EDITOR,Test',
      ].join('\n');
      const preview = await ok('POST', `${bomUrl(project.code)}/import`, {
        csv,
        createParts: true,
      });
      expect(
        preview.lines.map((l: { stage: number; stageName: string }) => [l.stage, l.stageName]),
      ).toEqual([
        [1, 'smt'],
        [3, 'Hand solder'],
        [2, ''],
        [4, 'Test'],
      ]);
      const res = await ok('POST', `${bomUrl(project.code)}/import`, {
        csv,
        createParts: true,
        commit: true,
      });
      expect(res.bom.stages).toEqual([
        { stage: 1, name: 'SMT', documentation: false, entries: 1 },
        { stage: 2, name: '', documentation: false, entries: 1 },
        { stage: 3, name: 'Hand solder', documentation: false, entries: 1 },
        { stage: 4, name: 'Test', documentation: false, entries: 1 },
      ]);
      expect(res.createdParts.map((p: { name: string }) => p.name)).toEqual([
        '100nF 0402 GRM155R61A104KA01D',
        'Conn Conn_01x02 CONN-2-EDITOR',
        '10k 0603 RES-EDITOR-10K',
        'TP TestPoint_Pad_D1.0mm TP-EDITOR',
      ]);
      expect((await lastBomChange(project.code)).createdStages).toEqual([
        { stage: 3, name: 'Hand solder' },
        { stage: 4, name: 'Test' },
      ]);

      // A line on a documentation stage is refused, naming its line.
      await ok('PATCH', `${stagesUrl(project.code)}/2`, { name: 'Docs' });
      await ok('POST', stagesUrl(project.code), { name: 'Paper', documentation: true }, 201);
      const before = await rowCounts(suite.ctx.db);
      const refused = await call('POST', `${bomUrl(project.code)}/import`, {
        csv: 'Reference,Qty,MPN,Stage\nR1,1,RES-EDITOR-10K,paper\n',
        commit: true,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        field: 'csv',
        problems: [
          { line: 2, message: 'stage: stage 5 is a documentation stage, which places no parts' },
        ],
      });
      expect(await rowCounts(suite.ctx.db)).toEqual(before);
    });
  });
}
