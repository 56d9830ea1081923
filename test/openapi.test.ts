import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';

describe('OpenAPI document', () => {
  it('the committed openapi.json matches the route schemas (run `npm run openapi` after changing routes)', async () => {
    const handle = openDatabase({ url: ':memory:' });
    const app = await buildApp({ ctx: createContext(handle.db), printSender: false });
    await app.ready();
    const generated = JSON.parse(JSON.stringify(app.swagger()));
    await app.close();
    await handle.close();
    const committed = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(generated);
    expect(Object.keys(generated.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/resolve',
        '/api/v1/parts',
        '/api/v1/stock/receive',
        '/api/health',
      ]),
    );
  });
});
