import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { testContext } from './support/factories.js';
import { historyRows } from './support/history.js';
import { freePort } from './support/ipp-printer.js';
import { makeUnits } from './support/unit-factories.js';

/** A printer's raw port: resolves with what the first connection sent. */
async function listenOnce(port: number) {
  let resolveData!: (zpl: string) => void;
  const data = new Promise<string>((resolve) => (resolveData = resolve));
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => {
      resolveData(Buffer.concat(chunks).toString('utf8'));
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { data, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot printer, label print --printer, print-job`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-printer-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('adds a ZPL printer, prints a build to it, and retries a job that failed', async () => {
      const ctx = testContext(database.db);
      const { build, units } = await makeUnits(ctx, 2);
      const port = await freePort();
      const added = json(
        await cli(
          env,
          'printer',
          'add',
          'Zebra',
          '--kind',
          'zpl',
          '--address',
          `127.0.0.1:${port}`,
          '--json',
        ),
      );
      expect(added).toMatchObject({ name: 'Zebra', kind: 'zpl', address: `127.0.0.1:${port}` });
      const listed = await cli(env, 'printer', 'list');
      expect(listed.stdout).toMatch(/Zebra\s+zpl\s+127\.0\.0\.1/);

      // Nothing listens yet: the job fails with the socket's reason, and the command says so.
      const failed = await cli(env, 'label', 'print', '--build', build.code, '--printer', 'Zebra');
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`failed: connect ECONNREFUSED 127.0.0.1:${port}`);
      const jobs = json(await cli(env, 'print-job', 'list', '--status', 'failed', '--json'));
      expect(jobs.items).toHaveLength(1);
      const job = jobs.items[0];
      expect(job.objects).toEqual(units.map((u) => u.code));

      const printer = await listenOnce(port);
      try {
        const retried = await cli(env, 'print-job', 'retry', job.code, '--json');
        expect(retried.code).toBe(0);
        expect(json(retried)).toMatchObject({ status: 'sent', attempts: 2 });
        const zpl = await printer.data;
        expect(zpl.match(/\^XA/g)).toHaveLength(2);
        expect(zpl.match(/\^XZ/g)).toHaveLength(2);
        for (const unit of units) expect(zpl).toContain(`/c/${unit.code}`);
      } finally {
        await printer.close();
      }

      const history = await historyRows(database.db, units[0]!.code);
      const printed = history.filter((e) => e.type === 'printed');
      expect(printed).toHaveLength(1);
      expect(printed[0]!.actorName).toMatch(/^cli:/);
      expect(printed[0]!.data).toMatchObject({ printerName: 'Zebra', reprint: false });
    });
  });
}
