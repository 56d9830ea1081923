import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBuildUnits } from '../src/builds/build-view.service.js';
import { startBuild } from '../src/builds/build.service.js';
import { createContext } from '../src/context.js';
import { createPart } from '../src/parts/part.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { makeProject, stock } from './support/build-factories.js';
import { codeWithPrefix, codesThenRandom } from './support/codes.js';
import { DIALECTS } from './support/databases.js';
import { admin } from './support/factories.js';
import { buildSerialLabel } from '../src/domain/unit-label.js';

/**
 * Labels and the unit page print a unit as `<build short code>-<n>` (one character longer where
 * the build's code goes on with n's digits: labelPrefix). Whatever takes a code reads
 * that text as the unit with build serial n of that build; where the text, hyphen dropped, is
 * also a code prefix that names something, it answers 409 with both — never a guess.
 */
/** Whether `text` with its hyphen dropped is a prefix of `code` too. */
const alsoPrefixOf = (code: string, text: string) =>
  code.startsWith(text.trim().toLowerCase().replace('-', ''));

for (const dialect of DIALECTS) {
  describe(`${dialect}: a build serial names its unit`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(dialect);
    });
    afterAll(() => api.close());

    const resolve = (q: string) => api.call('GET', `/api/v1/resolve?q=${encodeURIComponent(q)}`);
    const scan = (q: string) => api.call('GET', `/api/v1/scan?q=${encodeURIComponent(q)}`);

    /** A serialized build of `count` units (its code `code` when given) and the units' labels. */
    async function makeBuild(count: number, code?: string) {
      const project = await makeProject(api.ctx, [{ perUnit: 1 }]);
      const { location } = await stock(api.ctx, project.parts[0]!, [count]);
      const ctx = createContext(api.database.db, { newCode: codesThenRandom(code ? [code] : []) });
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: count,
        location,
      });
      const units = (await listBuildUnits(api.ctx, build.code, { limit: count, offset: 0 })).items;
      return { build, units };
    }

    it('the label text of every unit resolves and scans to that very unit', async () => {
      const { build, units } = await makeBuild(12);
      for (const unit of units) {
        expect(unit.label).toBe(buildSerialLabel(build.code, unit.serial));
        for (const q of [
          unit.label!,
          ` ${unit.label!.toUpperCase()}\n`,
          `${build.code}-${unit.serial}`,
          `${build.code.slice(0, 5)}-${unit.serial}`,
        ]) {
          // Dropping the hyphen, texts other than the label are also a prefix of the build's own
          // code when the serial's digits follow in it: that case is the next test's.
          if (q !== unit.label && alsoPrefixOf(build.code, q)) continue;
          const res = await resolve(q);
          expect({ q, status: res.status, body: res.body }).toMatchObject({
            q,
            status: 200,
            body: { kind: 'lot', code: unit.code, matchedBy: 'build_serial' },
          });
        }
        expect(alsoPrefixOf(build.code, unit.label!)).toBe(false);
        const scanned = await scan(unit.label!);
        expect(scanned.body).toMatchObject({ resolved: { code: unit.code } });
      }
    });

    it("the issue's case: 945ks1m9-1 is unit 1; 945ks1m9-3, also a prefix of the build's code, is a 409 with both", async () => {
      const { build, units } = await makeBuild(3, codeWithPrefix('945ks1m93'));
      const one = await resolve('945ks1m9-1');
      expect(one.body).toMatchObject({ code: units[0]!.code, matchedBy: 'build_serial' });
      const three = await resolve('945KS1M9-3');
      expect(three.status).toBe(409);
      expect(three.body.error).toMatchObject({ code: 'ambiguous_code', field: 'q' });
      expect(three.body.error.candidates).toEqual([
        { kind: 'lot', code: units[2]!.code, name: expect.any(String) },
        { kind: 'build', code: build.code, name: expect.any(String) },
      ]);
      // The label printed now is one character longer, and names unit 3 alone.
      expect(units[2]!.label).toBe('945ks1m93-3');
      expect((await resolve('945ks1m93-3')).body).toMatchObject({ code: units[2]!.code });
      const scanned = await scan('945ks1m9-3');
      expect(scanned.status).toBe(200);
      expect(scanned.body.resolved).toBeUndefined();
      expect(scanned.body.candidates.map((c: { code: string }) => c.code)).toEqual([
        units[2]!.code,
        build.code,
      ]);
    });

    it("a build whose code's 9th character is a digit: each label, with or without its hyphen, is that unit", async () => {
      const { build, units } = await makeBuild(9, codeWithPrefix('c4t7wq2n1c'));
      // Unit 1's label grows by one character; every other label keeps the short code.
      expect(units.map((u) => u.label)).toEqual([
        'c4t7wq2n1-1',
        ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `c4t7wq2n-${n}`),
      ]);
      for (const unit of units)
        for (const q of [unit.label!, unit.label!.replace('-', ''), unit.label!.toUpperCase()]) {
          const res = await resolve(q);
          expect({ q, status: res.status, body: res.body }).toMatchObject({
            q,
            status: 200,
            body: { kind: 'lot', code: unit.code, matchedBy: 'build_serial' },
          });
        }
      const scanned = await scan('C4T7WQ2N11');
      expect(scanned.body).toMatchObject({ resolved: { code: units[0]!.code } });
      // The build's own prefix still names the build; a hyphenless text no label prints, nothing.
      expect((await resolve('c4t7wq2n1')).body).toMatchObject({ kind: 'build', code: build.code });
      expect((await resolve('c4t7wq2n1c5')).status).toBe(404);
    });

    it('where the text is also a prefix of another object, 409 lists the unit and the object', async () => {
      const { build, units } = await makeBuild(2);
      const unit = units[0]!;
      const other = codeWithPrefix(unit.label!.replace('-', ''));
      const part = await createPart(
        createContext(api.database.db, { newCode: () => other }),
        admin,
        {
          name: 'Look-alike part',
        },
      );
      const res = await resolve(unit.label!);
      expect(res.status).toBe(409);
      expect(res.body.error.candidates).toEqual([
        { kind: 'lot', code: unit.code, name: expect.any(String) },
        { kind: 'part', code: part.code, name: 'Look-alike part' },
      ]);
      // The full build code leaves no second reading.
      const full = await resolve(`${build.code}-${unit.serial}`);
      expect(full.body).toMatchObject({ code: unit.code, matchedBy: 'build_serial' });
    });

    it('a {BUILD}-{N} customer serial is the same text for the same unit: one answer', async () => {
      const { build, units } = await makeBuild(3);
      const format = await api.call('POST', '/api/v1/serial-formats', {
        name: `Build serials ${dialect}`,
        pattern: '{BUILD}-{N}',
      });
      expect(format.status).toBe(201);
      const assigned = await api.call('POST', `/api/v1/serial-formats/${format.body.code}/assign`, {
        build: build.code,
      });
      expect(assigned.body.items.map((i: { serial: string }) => i.serial.toLowerCase())).toEqual(
        units.map((u) => `${build.shortCode}-${u.serial}`),
      );
      for (const unit of units) {
        if (unit.label !== `${build.shortCode}-${unit.serial}`) continue;
        const res = await resolve(unit.label!);
        expect(res.body).toMatchObject({ kind: 'lot', code: unit.code });
      }
    });

    it('a serial the build does not have answers 404 saying so', async () => {
      const { build } = await makeBuild(2);
      const res = await resolve(`${build.shortCode}-77`);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_found', field: 'q' });
      expect(res.body.error.message).toContain(
        `no build whose code starts with '${build.shortCode}' has a unit 77`,
      );
    });
  });
}
