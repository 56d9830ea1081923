import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codeInUrl, describeInBrowser, E2E_TIMEOUT, expectText, scan } from './support/browser.js';
import { buildThreeUnits } from './support/fixtures.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * The `<build short code>-<n>` that unit pages and labels print, typed where people type codes:
 * the scan box opens that unit (not the build whose code starts with the text, hyphen dropped),
 * and the ship page lists and ships it.
 */
describeInBrowser('web UI: a build serial in the scan box and on the ship page', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let admin: ApiSession;
  let unit = { code: '', label: '' };

  beforeAll(async () => {
    session = await openSession();
    ({ server, admin, page } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Packing' })).code;
    const { units } = await buildThreeUnits(admin, location);
    // Units 1 and 2 are available. Where a label's text, hyphen dropped, also starts the build's
    // code, the scan box rightly lists both: the other unit's label (another last character)
    // has one reading only.
    for (const candidate of units.slice(0, 2)) {
      const read = await admin
        .call('GET', `/api/v1/resolve?q=${encodeURIComponent(candidate.label)}`)
        .catch(() => undefined);
      if (read?.code === candidate.code) unit = candidate;
    }
    expect(unit.label).toMatch(/^[0-9a-z]{8,}-[12]$/);
    await session.logIn('/builds');
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it("opens the unit's page, not the build's, from its build serial in the scan box", async () => {
    await scan(page, unit.label);
    await page.waitForURL(`${server.url}/c/${unit.code}`);
    await expectText(page.getByTestId('full-code'), unit.code);
    await expectText(page.getByRole('heading', { level: 1 }), new RegExp(unit.label));
  });

  it('lists the unit named by its build serial on the ship page, and ships it', async () => {
    await page.goto(`${server.url}/shipments/new`);
    const box = page.getByLabel('Unit code', { exact: true });
    await box.fill(unit.label.toUpperCase());
    await box.press('Enter');
    const list = page.getByRole('table', { name: 'Units to ship' });
    await expectText(list.locator('tbody tr').nth(0).locator('td').nth(0), unit.label);
    expect(await list.locator('tbody tr').count()).toBe(1);
    const form = page.getByRole('form', { name: 'Shipment' });
    await form.getByLabel('Customer', { exact: true }).fill('Contoso Labs');
    await form.getByLabel('Reference', { exact: true }).fill('PO-77');
    await form.getByRole('button', { name: 'Ship 1 unit' }).click();
    await page.waitForURL(/\/c\/[0-9a-z]{26}$/);
    const shipment = await admin.call('GET', `/api/v1/shipments/${codeInUrl(page)}`);
    expect(shipment.units.map((u: { code: string }) => u.code)).toEqual([unit.code]);
    expect((await admin.call('GET', `/api/v1/units/${unit.code}`)).state).toBe('shipped');
  });
});
