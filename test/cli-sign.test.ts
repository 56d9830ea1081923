import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/user.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { cli, cliEnv, cliWithInput, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, testContext } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot bom approve, recall release`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-sign-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('approves the current BOM revision once; bom shows it; a required signature refuses it', async () => {
      const project = await makeProject(testContext(database.db), [{ perUnit: 1 }]);
      expect((await cli(env, 'bom', 'approve', '--help')).stdout).toMatch(/--revision <n>/);
      const bad = await cli(env, 'bom', 'approve', project.code, '--revision', 'x');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/must be a whole number/);

      await cli(env, 'settings', 'signatures', '--require', 'bom_approved');
      const counts = await rowCounts(database.db);
      const unsigned = await cli(env, 'bom', 'approve', project.code, '--revision', '1');
      expect(unsigned.code).toBe(2);
      expect(unsigned.stderr).toMatch(/requires an electronic signature/);
      expect(await rowCounts(database.db)).toEqual(counts);
      await cli(env, 'settings', 'signatures', '--require', '');

      const approved = await cli(
        env,
        'bom',
        'approve',
        project.code,
        '--revision',
        '1',
        '--note',
        'ECO-9',
        '--json',
      );
      expect(approved.code).toBe(0);
      expect(json(approved).approval).toMatchObject({
        revision: 1,
        note: 'ECO-9',
        signature: null,
      });
      const shown = await cli(env, 'bom', 'show', project.code);
      expect(shown.stdout).toMatch(/Revision 1 — approved by cli:\S+ at \S+: ECO-9/);
      const again = await cli(env, 'bom', 'approve', project.code, '--revision', '1');
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/approved already/);
    }, 120_000);

    it('releases a recall hold beside the hold command, once', async () => {
      const ctx = testContext(database.db);
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      const { lots } = await stock(ctx, project.parts[0]!, [5]);
      const reel = lots[0]!;
      const held = json(await cli(env, 'recall', 'hold', reel, '--note', 'RMA 3', '--json'));
      expect(held.balances).toBe(1);
      expect((await cli(env, 'recall', 'release', '--help')).stdout).toMatch(/--operation <code>/);
      const released = await cli(env, 'recall', 'release', reel, '--note', 'cleared');
      expect(released.code).toBe(0);
      expect(released.stdout).toMatch(
        new RegExp(
          `released hold ${held.operation}: 1 balances of 1 lots back \\(on_hand 1\\); 0 skipped`,
        ),
      );
      const again = await cli(
        env,
        'recall',
        'release',
        reel,
        '--note',
        'again',
        '--operation',
        held.operation,
      );
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/released already/);
    }, 120_000);

    it('signs as a user who enters their password: on standard input, refused when wrong, logged', async () => {
      const ctx = testContext(database.db);
      const ann = await createUser(ctx, admin, {
        username: 'ann',
        role: 'editor',
        password: 'ann-password-1',
      });
      await createUser(ctx, admin, { username: 'vic', role: 'viewer', password: 'vic-password-1' });
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      await cli(env, 'settings', 'signatures', '--require', 'bom_approved');
      const approve = (...more: string[]) => [
        'bom',
        'approve',
        project.code,
        '--revision',
        '1',
        ...more,
      ];
      expect((await cli(env, ...approve('--help'))).stdout).toMatch(/--sign-as <username>/);

      const counts = await rowCounts(database.db);
      const noSigner = await cli(env, ...approve('--meaning', 'approved'));
      expect(noSigner.code).toBe(2);
      expect(noSigner.stderr).toMatch(/sign-as: give the signer with --sign-as USER/);
      const noMeaning = await cliWithInput(env, 'ann-password-1\n', ...approve('--sign-as', 'ann'));
      expect(noMeaning.code).toBe(2);
      expect(noMeaning.stderr).toMatch(/meaning: say what the signature means/);
      const badMeaning = await cli(env, ...approve('--sign-as', 'ann', '--meaning', 'liked'));
      expect(badMeaning.code).toBe(2);
      expect(badMeaning.stderr).toMatch(/Allowed choices are approved, reviewed, performed/);
      const viewer = await cliWithInput(
        env,
        'vic-password-1\n',
        ...approve('--sign-as', 'vic', '--meaning', 'approved'),
      );
      expect(viewer.code).toBe(2);
      expect(viewer.stderr).toMatch(/'vic' is a viewer/);
      expect(await rowCounts(database.db)).toEqual(counts);

      const wrong = await cliWithInput(
        env,
        'not-her-password\n',
        ...approve('--sign-as', 'ann', '--meaning', 'approved'),
      );
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/wrong password: the signature is refused/);
      expect(await historyRows(database.db, ann.user.code)).toContainEqual(
        expect.objectContaining({
          type: 'signature_refused',
          data: { operations: ['bom_approved'], meaning: 'approved' },
          actorName: 'ann',
        }),
      );

      const signed = await cliWithInput(
        env,
        'ann-password-1\n',
        ...approve('--sign-as', 'ann', '--meaning', 'approved', '--json'),
      );
      expect(signed.code).toBe(0);
      expect(json(signed).approval).toMatchObject({
        revision: 1,
        by: { name: 'ann' },
        signature: { meaning: 'approved', signer: 'ann' },
      });
      await cli(env, 'settings', 'signatures', '--require', '');
    }, 120_000);
  });
}
