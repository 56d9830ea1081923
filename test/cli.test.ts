import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_KEY_MEMORY_MS } from '../src/auth/api-key.service.js';
import { createContext } from '../src/context.js';
import { buildApp } from '../src/http/app.js';
import { cliActor } from '../src/cli/options.js';
import { displayWidth, printTable } from '../src/cli/output.js';
import { createLocation } from '../src/locations/location.service.js';
import { cli, cliEnv, json } from './support/cli.js';
import { codeSequence, codeWithPrefix } from './support/codes.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';

describe('tracelot code', () => {
  it('prints N new, distinct, well-formed codes', async () => {
    const out = await cli({}, 'code', 'new', '-n', '1000');
    const codes = out.stdout.trim().split('\n');
    expect(codes).toHaveLength(1000);
    expect(new Set(codes).size).toBe(1000);
    for (const code of codes)
      expect(code).toMatch(/^[0-9a-f][0-9a-hjkmnp-tv-z]{12}[0-9a-f][0-9a-hjkmnp-tv-z]{12}$/);
  });

  it('parses any form to the canonical code and UUID, or says why not', async () => {
    const uuid = '123e4567-e89b-42d3-a456-426614174000';
    const parsed = json(await cli({}, 'code', 'parse', uuid.toUpperCase(), '--json'));
    expect(parsed.uuid).toBe(uuid);
    const again = json(
      await cli({}, 'code', 'parse', `https://t.example/c/${parsed.code.toUpperCase()}`, '--json'),
    );
    expect(again.code).toBe(parsed.code);
    const bad = await cli({}, 'code', 'parse', 'ab!');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/text: 'ab!' is not a code/);
    expect((await cli({}, 'code', 'new', '-n', '0')).code).not.toBe(0);
  });

  it('answers a wrong command, option or value with exit code 2 and what is wrong', async () => {
    const unknown = await cli({}, 'code', 'nwe');
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown command 'nwe'/),
    });
    const option = await cli({}, 'code', 'new', '--many');
    expect(option).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown option '--many'/),
    });
    const value = await cli({}, 'code', 'new', '-n', 'lots');
    expect(value).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/argument 'lots' is invalid. must be a whole number/),
    });
    expect((await cli({}, 'code', '--help')).code).toBe(0);
  });
});

describe('CLI tables', () => {
  it('line up columns of text in any script, counting wide characters as two columns', () => {
    expect(displayWidth('電源モジュール PSU-1')).toBe(7 * 2 + 6);
    expect(displayWidth('전원 10 kΩ')).toBe(2 * 2 + 6);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => printed.push(line));
    try {
      printTable(
        [
          { part: '電源', qty: 1 },
          { part: 'Cap 10µF', qty: 25 },
        ],
        ['part', 'qty'],
      );
    } finally {
      log.mockRestore();
    }
    expect(printed).toEqual(['PART      QTY', '電源      1', 'Cap 10µF  25']);
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot CLI on a database`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('creates a part and a location, receives stock, resolves the short code, checks the ledger', async () => {
      const part = json(
        await cli(
          env,
          'part',
          'add',
          'Cap 100n',
          '--mpn',
          'GRM188R71H104KA93D',
          '--tag',
          'capacitor',
          '--json',
        ),
      );
      const location = json(await cli(env, 'location', 'add', 'Drawer 1', '--json'));
      const received = json(
        await cli(
          env,
          'stock',
          'receive',
          '--part',
          part.shortCode,
          '--location',
          location.shortCode,
          '--quantity',
          '4000',
          '--vendor-lot',
          'M-1',
          '--json',
        ),
      );
      const lot = received.lots[0];
      expect(lot.quantity).toBe(4000);
      const resolved = json(
        await cli(env, 'resolve', lot.code.slice(0, 8).toUpperCase(), '--json'),
      );
      expect(resolved).toMatchObject({ kind: 'lot', code: lot.code });
      const removed = await cli(env, 'stock', 'remove', lot.code, '--quantity', '5000');
      expect(removed.code).toBe(2);
      expect(removed.stderr).toMatch(/quantity: .*holds 4000 pcs.*5000 requested/);
      expect(
        (await cli(env, 'stock', 'remove', lot.shortCode, '--quantity', '1000', '--note', 'scrap'))
          .code,
      ).toBe(0);
      const shown = json(await cli(env, 'lot', 'show', lot.code, '--json'));
      expect(shown.quantity).toBe(3000);
      expect(shown.vendorLot).toBe('M-1');
      const history = json(await cli(env, 'lot', 'history', lot.code, '--json'));
      expect(
        history.map((h: any) => [h.type, h.quantity, h.actor.name.startsWith('cli:')]),
      ).toEqual([
        ['received', 4000, true],
        ['removed', -1000, true],
      ]);
      const check = await cli(env, 'check');
      expect(check.code).toBe(0);
      expect(check.stdout).toMatch(/^OK: 1 balances match 2 ledger entries/);
      const list = await cli(env, 'part', 'list', '--search', 'grm188');
      expect(list.stdout).toContain('Cap 100n');
    });

    it('lists the objects a short prefix names instead of guessing one', async () => {
      const codes = ['b0a7f00d1', 'b0a7f00d2'].map(codeWithPrefix);
      const ctx = createContext(database.db, { newCode: codeSequence(codes) });
      for (const name of ['Bay 1', 'Bay 2']) await createLocation(ctx, cliActor(), { name });
      const both = await cli(env, 'location', 'show', 'b0a7f00d');
      expect(both.code).toBe(2);
      expect(both.stderr.split('\n')).toEqual([
        "error: code: 'b0a7f00d' matches 2 objects: give more characters",
        `  ${codes[0]}  location  Bay 1`,
        `  ${codes[1]}  location  Bay 2`,
        '',
      ]);
      const one = await cli(env, 'location', 'show', codes[1]!.slice(0, 9), '--json');
      expect(json(one)).toMatchObject({ code: codes[1], name: 'Bay 2' });
    });

    it('receives a CSV file in one transaction: all lots, or none when a line is bad', async () => {
      const part = json(await cli(env, 'part', 'add', 'Wire', '--unit', 'm', '--json'));
      const location = json(await cli(env, 'location', 'add', 'Reel rack', '--json'));
      const lines = ['part,location,quantity,vendor_lot'];
      for (let i = 0; i < 12_000; i++)
        lines.push(`${part.code},${location.code},0.5,"R ""${i}"", x"`);
      writeFileSync(path.join(dir, 'good.csv'), lines.join('\n'));
      const good = await cli(
        env,
        'stock',
        'receive',
        '--file',
        path.join(dir, 'good.csv'),
        '--json',
      );
      expect(good.code).toBe(0);
      expect(good.stderr).toMatch(/received 12000 of 12000 lots/);
      const result = json(good);
      expect(result.lots).toHaveLength(12_000);
      expect(json(await cli(env, 'lot', 'show', result.lots[7].code, '--json')).vendorLot).toBe(
        'R "7", x',
      );
      lines[11_000] = `${part.code},${location.code},-1,bad`;
      writeFileSync(path.join(dir, 'bad.csv'), lines.join('\n'));
      const bad = await cli(env, 'stock', 'receive', '--file', path.join(dir, 'bad.csv'));
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/file: line 11001: quantity: must not be negative/);
      const stock = json(await cli(env, 'part', 'show', part.code, '--json'));
      expect(stock.onHand).toBe(6000);
    });

    it('manages users and API keys; a created key authenticates against the server', async () => {
      const added = await cli(env, 'user', 'add', 'alice', '--role', 'editor');
      expect(added.stdout).toMatch(/Created editor 'alice' with the password\n {4}[0-9a-z]{20}\n/);
      expect((await cli(env, 'user', 'set-role', 'alice', 'viewer')).stdout).toMatch(
        /alice is now viewer/,
      );
      const users = json(await cli(env, 'user', 'list', '--json'));
      expect(users.map((u: any) => [u.username, u.role])).toEqual([['alice', 'viewer']]);
      expect((await cli(env, 'user', 'reset-password', 'alice')).stdout).toMatch(
        /New password for alice/,
      );
      expect((await cli(env, 'user', 'set-role', 'nobody', 'viewer')).stderr).toMatch(
        /user 'nobody' not found/,
      );

      const created = await cli(env, 'apikey', 'create', '--name', 'station-1', '--role', 'viewer');
      const key = /(tl_[0-9a-z]+)/.exec(created.stdout)![1]!;
      // The server's clock: it remembers recognised keys for API_KEY_MEMORY_MS of it.
      let clock = Date.parse('2027-01-01T00:00:00Z');
      const app = await buildApp({
        ctx: createContext(database.db, { clock: () => new Date(clock) }),
      });
      const ok = await app.inject({
        method: 'GET',
        url: '/api/v1/parts',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(ok.statusCode).toBe(200);
      const denied = await app.inject({
        method: 'POST',
        url: '/api/v1/parts',
        headers: { authorization: `Bearer ${key}` },
        payload: { name: 'x' },
      });
      expect(denied.statusCode).toBe(403);
      const keys = json(await cli(env, 'apikey', 'list', '--json'));
      expect(keys.map((k: any) => k.name)).toEqual(['station-1']);
      await cli(env, 'apikey', 'revoke', keys[0].code);
      const request = () =>
        app.inject({
          method: 'GET',
          url: '/api/v1/parts',
          headers: { authorization: `Bearer ${key}` },
        });
      // Revoked by another process: the server still trusts the key it has just seen, for at
      // most API_KEY_MEMORY_MS.
      expect((await request()).statusCode).toBe(200);
      clock += API_KEY_MEMORY_MS;
      expect((await request()).statusCode).toBe(401);
      await app.close();
    });
  });
}
