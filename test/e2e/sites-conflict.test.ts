import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileStoreIn } from '../../src/attachments/file-store.js';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { markRestored } from '../../src/sites/site.service.js';
import { exportInstance } from '../../src/transfer/export.service.js';
import { importInstance } from '../../src/transfer/import.service.js';
import { createTestApi, type TestApi } from '../support/api.js';
import { DIALECTS } from '../support/databases.js';
import { admin as adminActor, testContext } from '../support/factories.js';
import { apply, bundle, type SyncSite } from '../support/sync-sites.js';
import { makeUnits } from '../support/unit-factories.js';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Issue 13's conflict, as it happens. Plant A scraps a unit and syncs with Plant B (PostgreSQL).
 * A's disk is then lost: a backup older than the scrap is restored, marked restored, and served
 * (`tracelot serve` on SQLite: the server the browser uses); there the unit, available in the
 * backup, is shipped. B syncs with the restored A over HTTP: the unit was shipped at one site
 * and scrapped at the other, and taken out of stock twice. The later (shipped) stands at both;
 * the conflict is on A's Sites page with both sides, and a person resolves it there, where the
 * unit's stock is: the scrap's movement is taken back, and the resolution travels to B.
 */
describeInBrowser('web UI: a unit shipped at one site and scrapped at another', () => {
  let dir: string;
  let plantA: TestApi;
  let plantB: TestApi;
  let session: E2eSession;
  let page: Page;
  let restored: ApiSession;
  let unit: string;

  const site = (api: TestApi, name: string): SyncSite => ({
    db: api.ctx.db,
    store: fileStoreIn(path.join(dir, name)),
  });
  async function carry(from: SyncSite, to: SyncSite) {
    await apply(to, await bundle(from, to));
  }
  /** B syncs with the restored A over HTTP, as `tracelot sync` does. */
  async function syncBWithA() {
    const run = await plantB.call('POST', '/api/v1/sync/run', {});
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.items[0].error, JSON.stringify(run.body)).toBeUndefined();
    return run.body.items[0];
  }
  const conflictsRegion = () => page.getByRole('region', { name: 'Conflicts' });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tracelot-sites-conflict-'));
    plantA = await createTestApi('sqlite');
    plantB = await createTestApi(DIALECTS.includes('postgres') ? 'postgres' : 'sqlite', {
      files: fileStoreIn(path.join(dir, 'b')),
    });
    await plantA.call('PATCH', '/api/v1/site', { name: 'Plant A' });
    await plantB.call('PATCH', '/api/v1/site', { name: 'Plant B' });
    const [a, b] = [site(plantA, 'a'), site(plantB, 'b')];
    unit = (await makeUnits(plantA.ctx, 2)).units[0]!.code;
    await carry(a, b);

    // The nightly backup; then the unit is scrapped, and B hears of it.
    const backup = path.join(dir, 'backup');
    await exportInstance(plantA.ctx.db, { dir: backup, store: a.store });
    const scrap = await plantA.call('POST', `/api/v1/units/${unit}/scrap`, { reason: 'cracked' });
    expect(scrap.status, JSON.stringify(scrap.body)).toBe(200);
    await carry(a, b);

    // A's disk is lost: the backup goes into a new data folder, is marked restored before
    // anything is written there (docs/sites.md "Restore"), and served.
    const dataDir = path.join(dir, 'restored');
    const handle = openDatabase({ dataDir });
    await migrateToLatest(handle.db);
    const ctx = testContext(handle.db);
    await importInstance(ctx, { dir: backup, store: fileStoreIn(dataDir) });
    await markRestored(ctx, adminActor);
    await handle.close();
    session = await openSession({}, { dataDir });
    ({ page, admin: restored } = session);
    expect((await restored.call('GET', `/api/v1/units/${unit}`)).state).toBe('available');
    await restored.call('POST', '/api/v1/shipments', {
      customer: 'Acme',
      reference: 'PO-4711',
      units: [unit],
    });

    // B syncs with the restored site, which gave it a site key.
    const key = (await restored.call('POST', '/api/v1/api-keys', { name: 'b', role: 'site' })).key;
    const peer = { name: 'Plant A (restored)', url: session.server.url, key };
    const added = await plantB.call('POST', '/api/v1/sync/peers', peer);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const synced = await syncBWithA();
    expect(synced.sent.conflicts).toBe(1);
    await session.logIn('/sites');
  }, E2E_TIMEOUT);
  afterAll(async () => {
    await session?.close();
    await plantA?.close();
    await plantB?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows both sides on the Sites page; the later (shipped) stands at both sites', async () => {
    const card = conflictsRegion().getByRole('article');
    await expect.poll(() => card.count()).toBe(1);
    await expectText(
      card.getByRole('heading', { level: 3 }),
      `Unit state changed at both sites: ${unit}`,
    );
    await expectText(card.getByRole('group', { name: 'In effect' }), /State: shipped.*Plant A ·/s);
    await expectText(
      card.getByRole('group', { name: 'Other side' }),
      /State: scrapped.*Plant A \(until \d{4}-\d\d-\d\d\)/s,
    );
    expect((await restored.call('GET', `/api/v1/units/${unit}`)).state).toBe('shipped');
    expect((await plantB.call('GET', `/api/v1/units/${unit}`)).body.state).toBe('shipped');
    // Taken out twice: its balance stands below zero at both sites until the conflict is settled.
    for (const balances of [
      (await plantB.call('GET', `/api/v1/lots/${unit}`)).body.balances,
      (await restored.call('GET', `/api/v1/lots/${unit}`)).balances,
    ])
      expect(balances).toEqual([expect.objectContaining({ status: 'on_hand', quantity: -1 })]);

    // B may not resolve it: the unit's stock is at A's location.
    const [open] = (await plantB.call('GET', '/api/v1/sync/conflicts')).body.items;
    const atB = await plantB.call('POST', `/api/v1/sync/conflicts/${open.code}/resolve`, {
      keep: 'kept',
      note: 'from B',
    });
    expect(atB.status).toBe(409);
    expect(atB.body.error.message).toMatch(
      /resolve this conflict at Plant A: the stock it corrects is at Shelf 1/,
    );
  });

  it('is resolved at A by a person with a reason; the stock adds up and B gets the resolution', async () => {
    const card = conflictsRegion().getByRole('article');
    await card.getByLabel('Which side stands').selectOption('kept');
    await card
      .getByLabel('Why')
      .fill('Shipped to Acme on PO-4711; the scrap was entered on the wrong unit');
    await card.getByRole('button', { name: 'Resolve' }).click();
    await expectText(conflictsRegion().locator('.empty'), 'No open conflicts.');
    await page.getByLabel('Resolved ones too').check();
    await expectText(card, /Resolved by admin on .*: keep the side in effect — Shipped to Acme/);
    expect((await restored.call('GET', `/api/v1/lots/${unit}`)).balances).toEqual([]);

    await syncBWithA();
    const atB = (await plantB.call('GET', '/api/v1/sync/conflicts?all=true')).body.items;
    expect(atB).toEqual([
      expect.objectContaining({
        kind: 'unit_state',
        subject: unit,
        resolution: expect.objectContaining({
          keep: 'kept',
          note: expect.stringMatching(/^Shipped/),
        }),
      }),
    ]);
    expect((await plantB.call('GET', `/api/v1/lots/${unit}`)).body.balances).toEqual([]);
    // Every record verifies at both sites: chains, ledger, balances and unit states.
    expect((await plantB.call('GET', '/api/v1/audit/verify')).body.problems).toEqual([]);
    expect((await restored.call('GET', '/api/v1/audit/verify')).problems).toEqual([]);
  });
});
