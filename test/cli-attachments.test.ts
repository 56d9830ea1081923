import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { listHistory } from '../src/history/history.repository.js';
import { PNG } from './support/attachment-files.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { makeLot } from './support/factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot attach / attachments / attachment`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-attach-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      // Files live in the data folder with either database.
      env = { ...cliEnv(database, dir), TRACELOT_DATA: dir };
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('attaches, lists, writes out and removes a file; the record stays for admins', async () => {
      const ctx = createContext(database.db);
      const { lot } = await makeLot(ctx);
      const file = path.join(dir, 'front photo.png');
      writeFileSync(file, PNG);

      const attached = await cli(env, 'attach', lot.code, file, '--note', 'incoming inspection');
      expect(attached.stderr).toBe('');
      expect(attached.code).toBe(0);
      expect(attached.stdout).toMatch(
        /^Attached front photo\.png \(image\/png, \d+ bytes\) as \w{26}\n$/,
      );
      const code = /as (\w{26})/.exec(attached.stdout)![1]!;
      const sha = createHash('sha256').update(PNG).digest('hex');
      expect(
        existsSync(path.join(dir, 'files', 'sha256', sha.slice(0, 2), sha.slice(2, 4), sha)),
      ).toBe(true);

      const listed = json(await cli(env, 'attachments', lot.code, '--json'));
      expect(listed.items).toHaveLength(1);
      expect(listed.items[0]).toMatchObject({
        code,
        fileName: 'front photo.png',
        mediaType: 'image/png',
        size: PNG.length,
        sha256: sha,
        note: 'incoming inspection',
      });
      const table = await cli(env, 'attachments', lot.code);
      expect(table.stdout).toMatch(/^ATTACHMENT\s+NAME\s+TYPE\s+SIZE\s+ADDED\s+BY\n/);
      expect(table.stdout).toContain('front photo.png  image/png');

      const out = path.join(dir, 'out.png');
      const got = await cli(env, 'attachment', 'get', code, '-o', out);
      expect(got.code).toBe(0);
      expect(readFileSync(out).equals(PNG)).toBe(true);
      const exists = await cli(env, 'attachment', 'get', code, '-o', out);
      expect(exists.code).toBe(2);
      expect(exists.stderr).toContain('output:');
      expect(exists.stderr).toContain('--force');
      const stdout = await cli(env, 'attachment', 'get', code, '-o', '-');
      expect(stdout.stdout.slice(1, 4)).toBe('PNG');
      expect(stdout.stdout).toContain('IHDR');

      const noReason = await cli(env, 'attachment', 'remove', code);
      expect(noReason.code).not.toBe(0);
      expect(noReason.stderr).toContain('--reason');
      const removed = json(
        await cli(env, 'attachment', 'remove', code, '--reason', 'wrong lot', '--json'),
      );
      expect(removed.removed).toMatchObject({ reason: 'wrong lot' });
      expect((await cli(env, 'attachments', lot.code)).stdout).toBe('No attachments.\n');
      const withRemoved = await cli(env, 'attachments', lot.code, '--removed');
      expect(withRemoved.stdout).toContain('(wrong lot)');
      const again = await cli(env, 'attachment', 'remove', code, '--reason', 'twice');
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('removed already');

      // Removed, yet the command line (an admin) still gets the file back.
      rmSync(out);
      expect((await cli(env, 'attachment', 'get', code, '-o', out)).code).toBe(0);
      expect(readFileSync(out).equals(PNG)).toBe(true);

      const history = await listHistory(database.db, lot.code);
      expect(history.filter((h) => h.type.startsWith('attachment_')).map((h) => h.type)).toEqual([
        'attachment_added',
        'attachment_removed',
      ]);
      expect(history.at(-1)!.actor.name).toMatch(/^cli:/);
    }, 120_000); // fourteen CLI runs, each a process start

    it('refuses missing files, files over the limit, bad names and bad subjects', async () => {
      const ctx = createContext(database.db);
      const { lot } = await makeLot(ctx);
      const file = path.join(dir, 'two-kb.bin');
      writeFileSync(file, Buffer.alloc(2048, 1));

      const missing = await cli(env, 'attach', lot.code, path.join(dir, 'nope.pdf'));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("file: '");

      const big = await cli(env, 'attach', lot.code, file, '--max-upload-mb', '0.001');
      expect(big.code).toBe(2);
      expect(big.stderr).toContain('file: is larger than the limit of 1 KB');
      expect(existsSync(path.join(dir, 'files', 'tmp'))).toBe(true);
      expect(readdirSync(path.join(dir, 'files', 'tmp'))).toEqual([]);

      const badLimit = await cli(env, 'attach', lot.code, file, '--max-upload-mb', 'lots');
      expect(badLimit.code).not.toBe(0);
      expect(badLimit.stderr).toContain('not a size in MB');

      const named = json(
        await cli(env, 'attach', lot.code, file, '--name', '../../etc/passwd', '--json'),
      );
      expect(named.fileName).toBe('passwd');
      expect(named.mediaType).toBe('application/octet-stream');

      const badSubject = await cli(env, 'attach', 'zzzz-not-a-code!', file);
      expect(badSubject.code).toBe(2);
      expect(badSubject.stderr).toContain('subject:');

      const empty = path.join(dir, 'empty.txt');
      writeFileSync(empty, '');
      const refused = await cli(env, 'attach', lot.code, empty);
      expect(refused.stderr).toContain('file: is empty');
      expect(json(await cli(env, 'attachments', lot.code, '--json')).items).toHaveLength(1);
    });

    it('checks the files against the attachments: lost, damaged and orphaned files', async () => {
      const ctx = createContext(database.db);
      const { lot } = await makeLot(ctx);
      const bytes = Buffer.from(`inspection report ${dialect} ${Math.random()}`);
      const file = path.join(dir, 'report.txt');
      writeFileSync(file, bytes);
      expect((await cli(env, 'attach', lot.code, file)).code).toBe(0);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const stored = path.join(dir, 'files', 'sha256', sha.slice(0, 2), sha.slice(2, 4), sha);
      const check = async (...flags: string[]) => {
        const out = await cli(env, 'check', '--files', ...flags, '--json');
        return { code: out.code, ...json(out) };
      };

      const clean = await check('--hash');
      expect(clean).toMatchObject({
        code: 0,
        ok: true,
        files: { ok: true, missing: [], damaged: [] },
      });
      expect(clean.files.contents).toBeGreaterThanOrEqual(1);
      const orphansBefore = clean.files.orphans.count;

      // A file no attachment names, as an upload whose database write failed leaves behind.
      const stray = Buffer.from('stray upload');
      const straySha = createHash('sha256').update(stray).digest('hex');
      const strayDir = path.join(
        dir,
        'files',
        'sha256',
        straySha.slice(0, 2),
        straySha.slice(2, 4),
      );
      mkdirSync(strayDir, { recursive: true });
      writeFileSync(path.join(strayDir, straySha), stray);
      expect((await check()).files.orphans.count).toBe(orphansBefore + 1);

      // What an upload cut short by a stopped server leaves: reported once an hour old.
      const tmp = path.join(dir, 'files', 'tmp');
      mkdirSync(tmp, { recursive: true });
      const part = path.join(tmp, 'cut-short.part');
      writeFileSync(part, Buffer.alloc(2048, 1));
      expect((await check()).files.parts).toEqual({ count: 0, bytes: 0 });
      const hoursAgo = new Date(Date.now() - 2 * 3600_000);
      utimesSync(part, hoursAgo, hoursAgo);
      expect(await check()).toMatchObject({ code: 0, files: { parts: { count: 1, bytes: 2048 } } });
      expect((await cli(env, 'check', '--files')).stdout).toContain(
        '1 upload part(s) (2 KB) in files/tmp not written to for an hour: left by interrupted uploads; a server removes them as it starts.',
      );
      rmSync(part);

      // The same length, other bytes: only reading them tells.
      writeFileSync(stored, Buffer.alloc(bytes.length, 0x41));
      expect(await check()).toMatchObject({ code: 0, ok: true });
      expect(await check('--hash')).toMatchObject({
        code: 1,
        ok: false,
        files: { damaged: [sha] },
      });
      rmSync(stored);
      const lost = await check();
      expect(lost).toMatchObject({ code: 1, ok: false });
      expect(lost.files.missing).toEqual([
        { sha256: sha, size: bytes.length, problem: 'not in the folder' },
      ]);
      const text = await cli(env, 'check', '--files');
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('1 file(s) that attachments name are lost:');
      expect(text.stdout).toMatch(new RegExp(`${sha}\\s+${bytes.length}\\s+not in the folder`));
      // Put back: the other tests of this file share the folder.
      writeFileSync(stored, bytes);
    });

    it('explains itself with --help', async () => {
      const help = await cli(env, 'attach', '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: tracelot attach [options] <subject> <file>');
      expect(help.stdout).toContain('--max-upload-mb');
      const serve = await cli(env, 'serve', '--help');
      expect(serve.stdout).toMatch(/--max-upload-mb <mb>\s+largest attachment accepted, in MB/);
      expect(serve.stdout).toContain('TRACELOT_MAX_UPLOAD_MB');
      const badServe = await cli(env, 'serve', '--max-upload-mb', '0', '--port', '1');
      expect(badServe.code).not.toBe(0);
      expect(badServe.stderr).toContain('not a size in MB');
      const sub = await cli(env, 'attachment', '--help');
      expect(sub.stdout).toMatch(/get \[options\] <code>/);
      expect(sub.stdout).toMatch(/remove \[options\] <code>/);
    });
  });
}
