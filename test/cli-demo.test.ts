import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';

/** `tracelot demo`: the demo company from the command line, once, into an empty instance. */
for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot demo`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-demo-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('loads the company with progress, then the records are there to read', async () => {
      const res = await cli(env, 'demo', '--json');
      expect(res.code).toBe(0);
      expect(res.stderr).toContain('demo: receiving reels…');
      const demo = json(res);
      const build = json(await cli(env, 'build', 'show', demo.builds.inProgress, '--json'));
      expect(build.status).toBe('in_progress');
      const parts = json(await cli(env, 'part', 'list', '--json', '--limit', '100'));
      expect(parts.items.map((p: { mpn: string }) => p.mpn)).toContain('STM32G031K8T6');
      expect(parts.total).toBe(demo.parts);
    });

    it('refuses a second load, naming why', async () => {
      const res = await cli(env, 'demo');
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/empty instance only; this one has 18 part\(s\) and 2 project/);
    });
  });
}
