import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { createTestDatabase, type TestDatabase } from './support/databases.js';

/** `tracelot sync export/import/conflicts` between two SQLite instances, as an operator runs them. */
describe('tracelot sync through a file', () => {
  let dir: string;
  const sites: { database: TestDatabase; env: Record<string, string> }[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-sync-'));
    for (const name of ['a', 'b']) {
      const database = await createTestDatabase('sqlite', path.join(dir, name, 'tracelot.db'));
      sites.push({ database, env: cliEnv(database, path.join(dir, name)) });
    }
  });
  afterAll(async () => {
    for (const s of sites) await s.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports a bundle, imports it at the other site, refuses a changed one, lists no conflict', async () => {
    const [a, b] = sites as [(typeof sites)[0], (typeof sites)[0]];
    expect((await cli(a.env, 'site', 'rename', 'Plant A')).code).toBe(0);
    expect((await cli(b.env, 'site', 'rename', 'Plant B')).code).toBe(0);
    const part = json(await cli(a.env, 'part', 'add', 'Shunt resistor', '--json'));

    const file = path.join(dir, 'a-to-b.tlsync');
    const exported = await cli(a.env, 'sync', 'export', '--to', file, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    expect(json(exported).lines).toBeGreaterThan(3);

    // A byte changed on the way: refused, nothing applied.
    const changed = path.join(dir, 'changed.tlsync');
    writeFileSync(changed, readFileSync(file, 'utf8').replace('Shunt resistor', 'Shunt resistoR'));
    const refused = await cli(b.env, 'sync', 'import', changed);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /bundle: refused, nothing applied: .*(changed on the way|the content was changed)/,
    );
    const partsAtB = async () =>
      json(await cli(b.env, 'part', 'list', '--json')).items.map((p: any) => p.name);
    expect(await partsAtB()).toEqual([]);

    const imported = await cli(b.env, 'sync', 'import', file, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(json(imported)).toMatchObject({
      from: { name: 'Plant A' },
      conflicts: 0,
      records: { applied: expect.any(Number) },
    });
    expect(json(await cli(b.env, 'part', 'show', part.code, '--json')).name).toBe('Shunt resistor');
    // Again: nothing new.
    expect(json(await cli(b.env, 'sync', 'import', file, '--json')).records.applied).toBe(0);

    const sitesAtB = json(await cli(b.env, 'site', '--json')).items.map((s: any) => s.name);
    expect(sitesAtB.sort()).toEqual(['Plant A', 'Plant B']);
    const conflicts = await cli(b.env, 'sync', 'conflicts');
    expect(conflicts.code).toBe(0);
    expect(conflicts.stdout).toMatch(/No open conflicts/);
    expect((await cli(b.env, 'audit', 'verify')).code).toBe(0);
  }, 120_000); // a dozen CLI runs, each a process start
});
