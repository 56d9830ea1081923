import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { codeFromUuid, newCode, uuidFromCode } from '../src/domain/code.js';
import { createLocation } from '../src/locations/location.service.js';
import { createPart } from '../src/parts/part.service.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { codeSequence, codeWithPrefix } from './support/codes.js';
import { DIALECTS } from './support/databases.js';
import { admin } from './support/factories.js';

interface Made {
  kind: 'part' | 'location' | 'lot';
  code: string;
  name: string;
}

/** Every way a person or a scanner may write `code` that DESIGN.md promises to understand. */
function forms(code: string): string[] {
  const uuid = uuidFromCode(code);
  const upper = code.toUpperCase();
  return [
    code,
    upper,
    ` \t${code}\n`,
    code.replace(/(.{4})/g, '$1-'),
    upper.replace(/(.{5})/g, '$1 '),
    code.replace(/1/g, 'l').replace(/0/g, 'o'),
    upper.replace(/1/g, 'I').replace(/0/g, 'O'),
    uuid,
    uuid.toUpperCase(),
    `{${uuid}}`,
    `urn:uuid:${uuid}`,
    `https://tracelot.example.com/c/${code}`,
    `https://tracelot.example.com/c/${code}/`,
    `https://tracelot.example.com/c/${upper}?from=label&x=1`,
    `http://localhost:3000/c/${code}#history`,
    `https://inventory.example.org/stock/I${upper}`,
    `https://inventory.example.org/stock/I${code}?print=1`,
  ];
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: resolver`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(dialect);
    });
    afterAll(() => api.close());

    const resolve = (q: string, role: 'admin' | 'viewer' | null = 'admin') =>
      api.call('GET', `/api/v1/resolve?q=${encodeURIComponent(q)}`, undefined, role);

    /** A context whose new codes are `codes`, in order: objects with chosen codes. */
    const withCodes = (codes: string[]) =>
      createContext(api.database.db, { newCode: codeSequence(codes) });

    async function makePart(code: string, name: string): Promise<Made> {
      const part = await createPart(withCodes([code]), admin, { name });
      expect(part.code).toBe(code);
      return { kind: 'part', code, name };
    }
    async function makeLocation(code: string, name: string): Promise<Made> {
      const location = await createLocation(withCodes([code]), admin, { name });
      expect(location.code).toBe(code);
      return { kind: 'location', code, name };
    }
    async function makeLot(code: string, part: Made, location: Made, name = ''): Promise<Made> {
      const received = await receiveStock(withCodes([newCode(), code]), admin, [
        { part: part.code, location: location.code, quantity: 3, lot: { name } },
      ]);
      expect(received.lots[0]!.code).toBe(code);
      // A lot without a name is called after its part.
      return { kind: 'lot', code, name: name || part.name };
    }

    let part: Made;
    let location: Made;
    let lot: Made;
    let namedLot: Made;
    beforeAll(async () => {
      // Codes rich in 0 and 1, so the alias forms (l, I, o, O) have something to replace.
      part = await makePart(codeWithPrefix('1a0b1c0d10'), 'Resolver part');
      location = await makeLocation(codeWithPrefix('0e1f0a1b01'), 'Resolver shelf');
      lot = await makeLot(codeWithPrefix('b1c0d1e0f1'), part, location);
      namedLot = await makeLot(codeWithPrefix('a0a1a0a1a0'), part, location, 'LOT-2024-17');
    });

    it('resolves a full code to the object and its kind', async () => {
      for (const made of [part, location, lot, namedLot]) {
        const res = await resolve(made.code);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          kind: made.kind,
          code: made.code,
          shortCode: made.code.slice(0, 8),
          name: made.name,
          url: `/c/${made.code}`,
          matchedBy: 'code',
        });
      }
      expect(lot.name).toBe('Resolver part');
      expect(namedLot.name).toBe('LOT-2024-17');
    });

    it('every forgiving form resolves to the same object', async () => {
      for (const made of [part, location, lot]) {
        const expected = (await resolve(made.code)).body;
        for (const q of forms(made.code)) {
          const res = await resolve(q);
          expect({ q, status: res.status, body: res.body }).toEqual({
            q,
            status: 200,
            body: expected,
          });
        }
      }
    });

    it('an 8-character prefix (the label short code) resolves', async () => {
      for (const made of [part, location, lot]) {
        for (const q of [
          made.code.slice(0, 8),
          made.code.slice(0, 8).toUpperCase(),
          ` ${made.code.slice(0, 4)}-${made.code.slice(4, 8)} `,
          made.code.slice(0, 25),
        ]) {
          const res = await resolve(q);
          expect({ q, status: res.status }).toEqual({ q, status: 200 });
          expect(res.body).toMatchObject({
            kind: made.kind,
            code: made.code,
            name: made.name,
            matchedBy: 'prefix',
          });
        }
      }
    });

    it('a prefix of several objects answers 409 listing every match, never a guess', async () => {
      // Seven objects of all three kinds share the prefix c0ffee0; the 9th character tells them apart.
      const shelf = await makeLocation(codeWithPrefix('d00d0000'), 'Candidates shelf');
      const made: Made[] = [
        await makePart(codeWithPrefix('c0ffee001'), 'Coffee part A'),
        await makePart(codeWithPrefix('c0ffee002'), 'Coffee part B'),
        await makeLocation(codeWithPrefix('c0ffee003'), 'Coffee shelf A'),
        await makeLocation(codeWithPrefix('c0ffee004'), 'Coffee shelf B'),
      ];
      made.push(await makeLot(codeWithPrefix('c0ffee005'), made[0]!, shelf));
      made.push(await makeLot(codeWithPrefix('c0ffee006'), made[1]!, shelf, 'Coffee lot'));
      made.push(await makeLot(codeWithPrefix('c0ffee0070'), made[1]!, made[2]!));
      const expected = [...made].sort((a, b) => (a.code < b.code ? -1 : 1));
      for (const q of ['c0ffee00', 'C0FF-EE0O', 'c0ff', 'c0ffee0']) {
        const res = await resolve(q);
        expect({ q, status: res.status }).toEqual({ q, status: 409 });
        expect(res.body.error).toMatchObject({ code: 'ambiguous_code', field: 'q' });
        expect(res.body.error.message).toMatch(/give more characters/);
        const candidates = [...res.body.error.candidates].sort((a: Made, b: Made) =>
          a.code < b.code ? -1 : 1,
        );
        expect(candidates).toEqual(expected);
      }
      // One character more names exactly one of them.
      for (const one of made) {
        const res = await resolve(one.code.slice(0, 9).toUpperCase());
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ kind: one.kind, code: one.code, matchedBy: 'prefix' });
      }
    });

    it('many matches are still a 409 with real candidates only', async () => {
      const made: Made[] = [];
      for (let i = 0; i < 12; i++)
        made.push(await makePart(codeWithPrefix('deadbeef'), `Beef ${i}`));
      const res = await resolve('deadbeef');
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ambiguous_code');
      const codes = new Set(made.map((m) => m.code));
      expect(res.body.error.candidates.length).toBeGreaterThan(1);
      for (const c of res.body.error.candidates) {
        expect(codes.has(c.code)).toBe(true);
        expect(c.kind).toBe('part');
      }
    });

    it('nothing found answers 404 naming the normalised input', async () => {
      const unknown = codeWithPrefix('e0e0e0e0');
      const cases: [string, string][] = [
        [unknown, unknown],
        [unknown.toUpperCase().replace(/(.{5})/g, '$1-'), unknown],
        [uuidFromCode(unknown).toUpperCase(), unknown],
        [`https://tracelot.example.com/c/${unknown.toUpperCase()}?x=1`, unknown],
        ['E0E0-E0E0', 'e0e0e0e0'],
        ['F0OL', 'f001'],
        ['ffff ffff iiii', 'ffffffff1111'],
      ];
      for (const [q, normalised] of cases) {
        const res = await resolve(q);
        expect({ q, status: res.status }).toEqual({ q, status: 404 });
        expect(res.body.error).toMatchObject({ code: 'not_found', field: 'q' });
        expect(res.body.error.message).toContain(normalised);
      }
    });

    it('malformed input answers 400 naming q', async () => {
      for (const q of [
        '',
        '   ',
        'abc',
        'a-b-c',
        'zzzz',
        'g0000000',
        'u123',
        'ab!d',
        'abcé',
        '0'.repeat(27),
        `${part.code}0`,
        '0'.repeat(13) + 'z',
        'x'.repeat(2001),
      ]) {
        const res = await resolve(q);
        expect({ q: q.slice(0, 40), status: res.status, field: res.body.error?.field }).toEqual({
          q: q.slice(0, 40),
          status: 400,
          field: 'q',
        });
        expect(res.body.error.message).toEqual(expect.any(String));
      }
      const missing = await api.call('GET', '/api/v1/resolve');
      expect(missing.status).toBe(400);
      expect(missing.body.error.field).toBe('q');
    });

    it('resolves only labelled objects, not API keys or users', async () => {
      const keys = await api.call('GET', '/api/v1/api-keys');
      expect(keys.status).toBe(200);
      for (const key of keys.body.items) {
        const res = await resolve(key.code);
        expect(res.status).toBe(404);
      }
    });

    it('needs credentials; a viewer may resolve', async () => {
      expect((await resolve(part.code, null)).status).toBe(401);
      const res = await resolve(part.code, 'viewer');
      expect(res.status).toBe(200);
      expect(res.body.code).toBe(part.code);
    });

    it('a code shared by two kinds of object is refused, or at least never resolved by a guess', async () => {
      // Invariant 1: codes never collide. Codes are unique per table; if a second kind of
      // object could take a code already in use, the resolver must not pick one of them.
      const code = codeWithPrefix('99aa99aa');
      const first = await makePart(code, 'Shared-code part');
      const second = await createLocation(withCodes([code]), admin, {
        name: 'Shared-code shelf',
      }).then(
        () => 'created',
        () => 'refused',
      );
      const res = await resolve(code);
      if (second === 'refused') {
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ kind: 'part', code: first.code });
      } else {
        expect({ second, status: res.status }).toEqual({ second, status: 409 });
      }
    });

    it('codes made by the API resolve as well', async () => {
      const created = await api.call('POST', '/api/v1/parts', { name: 'Made by the API' });
      expect(created.status).toBe(201);
      const uuid = uuidFromCode(created.body.code);
      expect(codeFromUuid(uuid)).toBe(created.body.code);
      const res = await resolve(`{${uuid.toUpperCase()}}`);
      expect(res.body).toMatchObject({ kind: 'part', code: created.body.code, matchedBy: 'code' });
    });
  });
}
