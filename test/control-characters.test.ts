import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  refuseControlCharacters,
  refuseControlCharactersInLines,
} from '../src/domain/control-characters.js';
import { createTestApi, type TestApi } from './support/api.js';
import { cli, cliEnv } from './support/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.js';
import { rowCount } from './support/row-counts.js';

interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}
const openapi = JSON.parse(readFileSync('openapi.json', 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
const operations = Object.entries(openapi.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);

/** NUL, which PostgreSQL cannot store, and others: BEL, ESC, DEL, a C1 (NEL), VT. */
const CONTROLS = ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u000b'];
/** Scanned text keeps what barcodes carry (GS, RS, EOT): only NUL is refused there. */
const SCANNED = new Set(['/api/v1/resolve q', '/api/v1/scan q']);
const bad = (c: string) => `ab${c}cd`;

describe('control characters (pure)', () => {
  it('names the field and the character; tab and line breaks are text', () => {
    expect(() => refuseControlCharacters({ notes: 'a\tb\r\nc\nd' }, '')).not.toThrow();
    expect(() => refuseControlCharacters({ items: [{ note: 'x\u0000' }] }, '')).toThrow(
      'items.0.note: must not contain control characters (U+0000 at character 2)',
    );
    expect(() => refuseControlCharacters({ fields: { 'k\u001b': 'v' } }, '')).toThrow(
      'fields.k\u001b: must not contain control characters (U+001B at character 2)',
    );
    expect(() => refuseControlCharactersInLines('a,b\r\nc,d\ne\u0000', 'file')).toThrow(
      'file: line 3: must not contain control characters (U+0000)',
    );
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: control characters on every route of openapi.json`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(dialect);
    });
    afterAll(() => api.close());

    async function send(method: string, url: string, body?: unknown, contentType?: string) {
      const res = await api.app.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${api.keys.admin}`,
          ...(contentType ? { 'content-type': contentType } : {}),
        },
        ...(body === undefined ? {} : { payload: body as string }),
      });
      return {
        status: res.statusCode,
        error: String(res.headers['content-type']).includes('json')
          ? (res.json().error as { field?: string; message: string } | undefined)
          : undefined,
        text: res.body,
      };
    }

    function expectRefused(
      res: Awaited<ReturnType<typeof send>>,
      field: string,
      what: string,
    ): void {
      expect({ what, status: res.status, field: res.error?.field }).toEqual({
        what,
        status: 400,
        field,
      });
      expect(res.error!.message).toMatch(/must not contain control characters \(U\+00[0-9A-F]{2}/);
    }

    const fill = (path: string, override?: [string, string]) =>
      path.replace(/\{(\w+)\}/g, (_m, name: string) =>
        encodeURIComponent(override?.[0] === name ? override[1] : '1'),
      );

    it('path, query and JSON body: 400 naming the field, never 5xx', async () => {
      let checked = 0;
      for (const { method, path, op } of operations) {
        const params = op.parameters ?? [];
        const body = op.requestBody?.content['application/json']?.schema?.properties ?? {};
        const fields = [
          ...params.map((p) => ({ in: p.in, name: p.name })),
          ...Object.keys(body).map((name) => ({ in: 'body', name })),
        ];
        for (const [i, field] of fields.entries()) {
          const scanned = SCANNED.has(`${path} ${field.name}`);
          const chars = scanned
            ? ['\u0000']
            : ['\u0000', CONTROLS[1 + (i % (CONTROLS.length - 1))]!];
          for (const c of chars) {
            const what = `${method} ${path} ${field.in} ${field.name} U+${c.charCodeAt(0).toString(16)}`;
            let res;
            if (field.in === 'path') res = await send(method, fill(path, [field.name, bad(c)]));
            else if (field.in === 'query')
              res = await send(method, `${fill(path)}?${field.name}=${encodeURIComponent(bad(c))}`);
            else res = await send(method, fill(path), { [field.name]: bad(c) });
            expectRefused(res, field.name, what);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(300);
    });

    it('nested values, keys, and the test-result batch as JSON and CSV', async () => {
      expectRefused(
        await send('POST', '/api/v1/stock/receive', {
          items: [{ part: 'x', note: bad('\u0000') }],
        }),
        'items.0.note',
        'receive',
      );
      expectRefused(
        await send('POST', '/api/v1/locations', { name: 'L', customFields: { 'a\u0000': 'b' } }),
        'customFields.a\u0000',
        'field key',
      );
      expectRefused(
        await send('POST', '/api/v1/test-results/batch', { results: [{ unit: bad('\u0000') }] }),
        'results.0.unit',
        'batch JSON',
      );
      const csv = await send(
        'POST',
        '/api/v1/test-results/batch',
        'unit,key,result\r\nabc,ict,pass\nab\u0000c,ict,pass\n',
        'text/csv',
      );
      expectRefused(csv, 'body', 'batch CSV');
      expect(csv.error!.message).toContain('line 3');
      expectRefused(
        await send('POST', '/api/v1/projects/1/bom/import', { csv: `a,b\n1,${bad('\u0007')}` }),
        'csv',
        'BOM import',
      );
      const login = await send('POST', '/api/v1/auth/login', {
        username: 'admin\u0000',
        password: 'x',
      });
      expectRefused(login, 'username', 'login');
    });

    it('tabs and line breaks stay text; scanned text keeps barcode separators', async () => {
      const part = await send('POST', '/api/v1/parts', {
        name: 'Multi-line',
        description: 'first\tline\r\nsecond line\nthird',
      });
      expect(part.status).toBe(201);
      expect(JSON.parse(part.text).description).toBe('first\tline\r\nsecond line\nthird');
      // A Digi-Key bag label as a keyboard wedge sends it: RS, GS and EOT inside.
      const label = '[)>\u001e06\u001dP296-1395-1-ND\u001d1PSN74HC04N\u001e\u0004';
      const scanned = await send('GET', `/api/v1/scan?q=${encodeURIComponent(label)}`);
      expect(scanned.status).toBe(200);
      expect(JSON.parse(scanned.text).recognised).toBe('iso15434');
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: control characters on the command line`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-controls-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('arguments, options and files: exit 2 naming the field, nothing stored', async () => {
      // An argv cannot carry NUL (the OS ends the string there); other controls it can.
      const name = await cli(env, 'part', 'add', bad('\u0007'));
      expect(name.code).toBe(2);
      expect(name.stderr).toContain('name: must not contain control characters (U+0007');
      const mpn = await cli(env, 'part', 'add', 'Resistor', '--mpn', bad('\u001b'));
      expect(mpn.code).toBe(2);
      expect(mpn.stderr).toContain('mpn: must not contain control characters (U+001B');
      const file = path.join(dir, 'lots.csv');
      writeFileSync(file, `part,location,quantity\nabc,def,1\nab\u0000c,def,2\n`);
      const receive = await cli(env, 'stock', 'receive', '--file', file);
      expect(receive.code).toBe(2);
      expect(receive.stderr).toContain(
        'file: line 3: must not contain control characters (U+0000)',
      );
      expect(await rowCount(database.db, 'part')).toBe(0);
    });
  });
}
