import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ACTION_TIMEOUT,
  codeInUrl,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  PHONE,
} from './support/browser.js';
import { PNG } from '../support/attachment-files.js';
import { buildThreeUnits } from './support/fixtures.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Shipping by typing codes one after another, the shipment page, and a unit's way back: return
 * with a reason, repair with a service event, release to stock.
 */
describeInBrowser('web UI: shipments, returns and repairs', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;
  let location = '';
  let returns = '';
  let units: { code: string; label: string }[] = [];

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser, page, admin } = session);
    location = (await admin.call('POST', '/api/v1/locations', { name: 'Final assembly' })).code;
    returns = (await admin.call('POST', '/api/v1/locations', { name: 'Returns shelf' })).code;
    ({ units } = await buildThreeUnits(admin, location));
    await session.logIn(`/shipments`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const state = async (code: string) =>
    ((await admin.call('GET', `/api/v1/units/${code}`)) as { state: string }).state;

  it('ships two units typed in one after another, refusing a scrapped one with the reason', async () => {
    await expectText(page.locator('p.empty'), /No shipments yet/);
    await page.getByRole('link', { name: 'Ship units', exact: true }).click();
    await page.waitForURL(`${server.url}/shipments/new`);
    const box = page.getByLabel('Unit code', { exact: true });
    const add = async (text: string) => {
      await box.fill(text);
      await box.press('Enter');
    };
    await add(units[0]!.code);
    const list = page.getByRole('table', { name: 'Units to ship' });
    await expectText(list.locator('tbody tr').nth(0).locator('td').nth(0), units[0]!.label);
    await add(units[2]!.code.toUpperCase());
    await expectText(
      page.getByRole('alert'),
      `${units[2]!.label} is scrapped: only available units can be shipped`,
    );
    await add(units[0]!.code.slice(0, 10));
    await expectText(page.getByRole('alert'), `${units[0]!.label} is in the list already`);
    // A unit whose stock is held (as a recall hold leaves it) is refused as it is scanned.
    const status = (to: string, from: string) =>
      admin.call('POST', '/api/v1/stock/status', {
        lot: units[1]!.code,
        status: from,
        to,
        note: 'suspect',
      });
    await status('held', 'on_hand');
    await add(units[1]!.code);
    await expectText(
      page.getByRole('alert'),
      `${units[1]!.label} is held: only available units can be shipped`,
    );
    await status('on_hand', 'held');
    await add(units[1]!.code);
    await expectText(list.locator('tbody tr').nth(1).locator('td').nth(0), units[1]!.label);
    expect(await list.locator('tbody tr').count()).toBe(2);

    const form = page.getByRole('form', { name: 'Shipment' });
    await form.getByLabel('Customer', { exact: true }).fill('Northwind Clinics');
    await form.getByLabel('Reference', { exact: true }).fill('PO-4471');
    await form.getByRole('button', { name: 'Ship 2 units' }).click();
    await page.waitForURL(/\/c\/[0-9a-z]{26}$/);
    const shipment = codeInUrl(page);
    await expectText(page.getByRole('heading', { level: 1 }), 'Northwind Clinics · PO-4471');
    const shipped = page.getByRole('table', { name: 'Shipped units' });
    await expectText(shipped.locator('tbody tr').nth(0).locator('td').nth(2), 'Shipped');
    expect(await shipped.locator('tbody tr').count()).toBe(2);
    expect([await state(units[0]!.code), await state(units[1]!.code)]).toEqual([
      'shipped',
      'shipped',
    ]);
    const api = await admin.call('GET', `/api/v1/shipments/${shipment}`);
    expect(api).toMatchObject({
      customer: 'Northwind Clinics',
      reference: 'PO-4471',
      unitCount: 2,
    });

    await page.getByRole('link', { name: 'Shipments' }).first().click();
    await page.waitForURL(`${server.url}/shipments`);
    await expectText(
      page.getByRole('table', { name: 'Shipments' }).getByRole('link').first(),
      'Northwind Clinics',
    );
  });

  it('returns a unit with a reason, repairs it with a service event, releases it', async () => {
    const unit = units[0]!;
    const list = await admin.call('GET', '/api/v1/shipments');
    await page.goto(`${server.url}/c/${list.items[0].code}`);
    await page
      .getByRole('table', { name: 'Shipped units' })
      .getByRole('link', { name: unit.label })
      .click();
    await page.waitForURL(`${server.url}/c/${unit.code}`);
    const service = page.getByRole('region', { name: 'Unit' });
    await expectText(service.getByTestId('lifecycle-state'), 'Shipped');

    await service.getByRole('button', { name: 'Return unit' }).click();
    const returnForm = page.getByRole('form', { name: 'Return the unit' });
    await returnForm.getByLabel('Return reason', { exact: true }).fill('screen stays black');
    await returnForm.getByLabel('Location', { exact: true }).selectOption(returns);
    await returnForm.getByRole('button', { name: 'Record return' }).click();
    await expectText(service.getByTestId('lifecycle-state'), 'Returned');
    expect(await state(unit.code)).toBe('returned');

    await service.getByRole('button', { name: 'Start repair' }).click();
    await expectText(service.getByTestId('lifecycle-state'), 'In repair');

    const eventForm = page.getByRole('form', { name: 'Add event' });
    await eventForm.getByLabel('Event type', { exact: true }).selectOption('repair');
    await eventForm
      .getByLabel('What was found or done', { exact: true })
      .fill('replaced the backlight');
    await eventForm.getByRole('button', { name: 'Add event' }).click();
    const history = page.getByRole('table', { name: 'Service history' });
    await expectText(
      history.locator('tbody tr').nth(1).locator('td').nth(2),
      'replaced the backlight',
    );
    await expectText(history.locator('tbody tr').nth(0).locator('td').nth(2), 'screen stays black');

    // The repair report goes with the repair event.
    const repairRow = history.locator('tbody tr').nth(1);
    await repairRow.getByText('Files of this event').click();
    await repairRow.getByLabel('Add files', { exact: true }).setInputFiles({
      name: 'repair-report.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await repairRow
      .getByRole('list', { name: 'Files' })
      .getByText('repair-report.png')
      .first()
      .waitFor();

    await service.getByRole('button', { name: 'Release unit' }).click();
    const releaseForm = page.getByRole('form', { name: 'Release the unit' });
    await releaseForm.getByLabel('Release note', { exact: true }).fill('burn-in passed');
    await releaseForm.getByRole('button', { name: 'Release to stock' }).click();
    await expectText(service.getByTestId('lifecycle-state'), 'Available');

    expect(await state(unit.code)).toBe('available');
    expect(await state(units[1]!.code)).toBe('shipped');
    const events = await admin.call('GET', `/api/v1/units/${unit.code}/events`);
    expect(events.items.map((e: { type: string; text: string }) => [e.type, e.text])).toEqual([
      ['return', 'screen stays black'],
      ['repair', 'replaced the backlight'],
    ]);
    const files = await admin.call('GET', `/api/v1/attachments?subject=${events.items[1].code}`);
    expect(
      files.items.map((f: { fileName: string; mediaType: string }) => [f.fileName, f.mediaType]),
    ).toEqual([['repair-report.png', 'image/png']]);
    const lot = await admin.call('GET', `/api/v1/lots/${unit.code}`);
    expect(lot.balances).toEqual([
      expect.objectContaining({
        location: expect.objectContaining({ code: returns }),
        status: 'on_hand',
        quantity: 1,
      }),
    ]);
  });

  it('fits the ship page and the shipment page on a phone', async () => {
    const context = await browser.newContext(PHONE);
    const phone = await context.newPage();
    phone.setDefaultTimeout(ACTION_TIMEOUT);
    await session.logIn(`/shipments/new`, phone);
    await phone.getByLabel('Unit code', { exact: true }).fill(units[0]!.code);
    await phone.getByLabel('Unit code', { exact: true }).press('Enter');
    await phone.getByRole('table', { name: 'Units to ship' }).waitFor();
    expect((await horizontalOverflow(phone)).scroll).toBeLessThanOrEqual(390);
    const list = await admin.call('GET', '/api/v1/shipments');
    await phone.goto(`${server.url}/c/${list.items[0].code}`);
    await phone.getByRole('table', { name: 'Shipped units' }).waitFor();
    expect((await horizontalOverflow(phone)).scroll).toBeLessThanOrEqual(390);
    await phone.goto(`${server.url}/c/${units[0]!.code}`);
    // The service history is folded on a phone: opened, it fits too.
    const history = phone.getByRole('region', { name: 'Service history', exact: true });
    await history.getByText('Service history', { exact: true }).click();
    await history.getByRole('table', { name: 'Service history' }).waitFor();
    expect((await horizontalOverflow(phone)).scroll).toBeLessThanOrEqual(390);
    await context.close();
  });
});
