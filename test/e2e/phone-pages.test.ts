import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ACTION_TIMEOUT,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  PHONE,
} from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/** The top of an element on the page, in CSS pixels. */
async function top(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  return box!.y;
}

/** Whether the Fold titled `title` is open. */
function isOpen(page: Page, title: string): Promise<boolean> {
  return page
    .getByRole('region', { name: title, exact: true })
    .locator('details')
    .first()
    .evaluate((d: HTMLDetailsElement) => d.open);
}

/**
 * The unit, build, ship and scan pages on a 390 px phone: what a person does comes first and
 * the long sections are folded; a unit reads as a unit (made by a build, lifecycle actions, no
 * stock moves); a finished build offers no stage actions; every list of units shows its test
 * status; form errors name the field as the form labels it.
 */
describeInBrowser('web UI: phone-first pages', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let admin: ApiSession;
  let page: Page;
  let build: { code: string; shortCode: string };
  let units: { code: string; label: string }[] = [];
  let receiveAt = '';

  beforeAll(async () => {
    session = await openSession(PHONE);
    ({ server, browser, admin, page } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 2' })).code;
    const board = await admin.call('POST', '/api/v1/parts', { name: 'Sensor board' });
    await admin.call('POST', '/api/v1/stock/receive', {
      items: [{ part: board.code, location, quantity: 10 }],
    });
    receiveAt = `/receive?part=${board.code}&location=${location}`;
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Flow meter' });
    await admin.call('PUT', `/api/v1/projects/${project.code}/bom`, {
      entries: [{ part: board.code, quantity: 1, designators: 'PCB1' }],
    });
    await admin.call('POST', `/api/v1/parts/${project.part.code}/test-templates`, {
      key: 'ict',
      name: 'In-circuit test',
    });
    // Run through at once: the build is finished, its three units available.
    build = await admin.call('POST', '/api/v1/builds', {
      project: project.code,
      quantity: 3,
      location,
      run: true,
    });
    units = (await admin.call('GET', `/api/v1/builds/${build.code}/units`)).items;
    await admin.call('POST', '/api/v1/test-results/batch', {
      results: [
        { unit: units[0]!.code, key: 'ict', result: 'pass' },
        { unit: units[1]!.code, key: 'ict', result: 'fail' },
      ],
    });
    await session.logIn(`/c/${units[0]!.code}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('keeps the header to one line, the navigation behind a menu', async () => {
    const row = page.getByTestId('topbar-row');
    await page.getByTestId('user-name').waitFor();
    const height = (await row.boundingBox())!.height;
    expect(height).toBeLessThanOrEqual(44);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Builds' }).click();
    await page.waitForURL(`${server.url}/builds`);
    // Following a link closes the menu; the header's line is as high as before.
    await nav.waitFor({ state: 'hidden' });
    expect((await row.boundingBox())!.height).toBe(height);
    expect(await page.getByRole('button', { name: 'Log out' }).isVisible()).toBe(false);
  });

  it('shows a unit as a unit: made by its build, its state, tests and actions first, long sections folded', async () => {
    const [unit] = units;
    await page.goto(`${server.url}/c/${unit!.code}`);
    await expectText(page.locator('.kind-label'), 'Unit');
    await expectText(
      page.getByTestId('made-by'),
      new RegExp(`^Made by build ${build.shortCode} as ${unit!.label} on `),
    );
    expect(await page.locator('.code-header').textContent()).not.toContain('received');
    const panel = page.getByRole('region', { name: 'Unit' });
    await expectText(panel.getByTestId('lifecycle-state'), 'Available');
    await expectText(panel.locator('.test-status'), 'Pass');
    const lifecycle = panel.getByRole('group', { name: 'Lifecycle' });
    expect(await lifecycle.getByRole('link').allTextContents()).toEqual(['Ship…']);
    expect(await lifecycle.getByRole('button').allTextContents()).toEqual(['Scrap unit']);
    await panel.getByRole('form', { name: 'Install a unit' }).waitFor();
    // No stock moves on a unit: its lifecycle moves it.
    expect(await page.getByRole('form', { name: 'Stock action' }).count()).toBe(0);
    expect(await page.getByRole('radio', { name: 'Move' }).count()).toBe(0);

    // Actions, then recording a test, then files (the camera) — above every folded section.
    const tests = page.getByRole('region', { name: 'Tests' });
    const record = page.getByRole('form', { name: 'Record a test result' });
    const camera = page.getByLabel('Take a photo', { exact: true });
    await record.waitFor();
    const folds = [
      'Installed sub-assemblies',
      'Service history',
      'Genealogy',
      'Where it lies',
      'Fields',
      'History',
    ];
    const firstFold = await top(page.getByRole('region', { name: folds[0] }));
    expect(await top(panel)).toBeLessThan(await top(tests));
    expect(await top(record)).toBeLessThan(firstFold);
    expect(await top(camera.locator('..'))).toBeLessThan(firstFold);
    for (const title of folds) expect(await isOpen(page, title), title).toBe(false);
    // Folded sections still say how much they hold, and open on a tap.
    const history = page.getByRole('region', { name: 'History', exact: true });
    await history.getByText('History', { exact: true }).click();
    await history.getByRole('list', { name: 'History' }).waitFor();
    expect(await isOpen(page, 'History')).toBe(true);
    expect((await horizontalOverflow(page)).scroll).toBeLessThanOrEqual(390);
  });

  it('offers no stage actions on a finished build, and shows each unit’s tests', async () => {
    await page.goto(`${server.url}/c/${build.code}`);
    await expectText(page.getByTestId('build-status'), 'Finished');
    await expectText(page.getByTestId('build-done'), /finished: nothing is left to do here/);
    for (const form of ['Complete a stage', 'Finish the build', 'Cancel the build'])
      expect(await page.getByRole('form', { name: form }).count(), form).toBe(0);
    expect(
      await page.getByRole('button', { name: /Complete stage|Finish|Cancel build/ }).count(),
    ).toBe(0);
    const table = page.getByRole('table', { name: 'Units' });
    await table.locator('.test-status').first().waitFor();
    expect(await table.locator('td[data-label="Tests"]').allTextContents()).toEqual([
      'Pass',
      'Fail',
      'Missing',
    ]);
    for (const title of ['BOM', 'Consumption', 'Timeline']) {
      expect(await isOpen(page, title), title).toBe(false);
      expect(await top(table)).toBeLessThan(
        await top(page.getByRole('region', { name: title, exact: true })),
      );
    }
    expect((await horizontalOverflow(page)).scroll).toBeLessThanOrEqual(390);
  });

  it('ships from the unit page with the tests of each unit in the list', async () => {
    await page.goto(`${server.url}/c/${units[0]!.code}`);
    await page.getByRole('region', { name: 'Unit' }).getByRole('link', { name: 'Ship…' }).click();
    await page.waitForURL(`${server.url}/shipments/new`);
    const list = page.getByRole('table', { name: 'Units to ship' });
    await list.getByRole('link', { name: units[0]!.label }).waitFor();
    const box = page.getByLabel('Unit code', { exact: true });
    await box.fill(units[1]!.code);
    await box.press('Enter');
    await list.getByRole('link', { name: units[1]!.label }).waitFor();
    expect(await list.locator('td[data-label="Tests"]').allTextContents()).toEqual([
      'Pass',
      'Fail',
    ]);
  });

  it('names the field as the form labels it when the server refuses', async () => {
    // The second unit is scrapped after it went into the list: the server refuses `units.1`.
    await admin.call('POST', `/api/v1/units/${units[1]!.code}/scrap`, { reason: 'cracked' });
    const form = page.getByRole('form', { name: 'Shipment' });
    await form.getByLabel('Customer', { exact: true }).fill('Acme');
    await form.getByLabel('Reference', { exact: true }).fill('PO-9');
    await form.getByRole('button', { name: 'Ship 2 units' }).click();
    const alert = form.getByRole('alert');
    await expectText(alert, new RegExp(`^Unit ${units[1]!.label}: unit \\w+ is scrapped`));
    expect(await alert.textContent()).not.toContain('units.1');

    await page.goto(`${server.url}${receiveAt}`);
    for (const label of ['Part', 'Location'])
      await expect.poll(() => page.getByLabel(label, { exact: true }).inputValue()).not.toBe('');
    await page.getByLabel('Quantity', { exact: true }).fill('-5');
    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    await expectText(page.getByRole('alert'), 'Quantity must not be negative');
  });

  it('shows the tests of the units collected on the scan page', async () => {
    const context = await browser.newContext(PHONE);
    try {
      const phone = await context.newPage();
      phone.setDefaultTimeout(ACTION_TIMEOUT);
      await session.logIn('/scan', phone);
      await phone.getByLabel('Continuous: add each scanned unit to a list').check();
      for (const unit of units) {
        const box = phone.getByLabel('Scanned text', { exact: true });
        await box.pressSequentially(unit.code, { delay: 2 });
        await box.press('Enter');
      }
      await expectText(phone.getByTestId('collected-count'), '3 units collected');
      const list = phone.getByRole('list', { name: 'Collected units' });
      await expect
        .poll(() => list.locator('.test-status').allTextContents())
        .toEqual(['Pass', 'Fail', 'Missing']);
    } finally {
      await context.close();
    }
  });
});
