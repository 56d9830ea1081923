import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ACTION_TIMEOUT,
  choose,
  codeInUrl,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  PHONE,
  scan,
} from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Customer serials in the UI: a format made on the Serial formats page (with its live
 * preview), chosen in the build wizard, shown on the unit page, assigned later from the build
 * page; a serial scanned in the scan box lands on its unit.
 */
describeInBrowser('web UI: customer serials', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;
  let project = '';

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser, page, admin } = session);
    await admin.call('POST', '/api/v1/locations', { name: 'Serial line' });
    const screw = await admin.call('POST', '/api/v1/parts', { name: 'M3 screw' });
    const created = await admin.call('POST', '/api/v1/projects', { name: 'Meter' });
    await admin.call('PUT', `/api/v1/projects/${created.code}/bom`, {
      entries: [{ part: screw.code, quantity: 1, designators: 'S1' }],
    });
    project = created.code;
    await session.logIn(`/parts`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('creates a format with a live preview, starts a build with it, shows and resolves serials', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Serial formats' })
      .click();
    await page.waitForURL(/\/serial-formats$/);
    await expectText(page.locator('.empty'), /No serial formats yet/);
    const form = page.getByRole('form', { name: 'New serial format' });
    await form.getByLabel('Format name', { exact: true }).fill('Meter SN');
    await form.getByLabel('Pattern', { exact: true }).fill('MTR-{SEQ');
    await expectText(form.getByRole('alert'), /Pattern: unmatched '\{'/);
    await form.getByLabel('Pattern', { exact: true }).fill('MTR-{SEQ:4}');
    await expectText(
      form.getByTestId('serial-preview'),
      /^Next serials: MTR-0001, MTR-0002, MTR-0003/,
    );
    await form.getByRole('button', { name: 'Create format' }).click();
    await expectText(page.getByRole('status'), /Created Meter SN/);
    const table = page.getByRole('table', { name: 'Serial formats' });
    await expectText(table.locator('tbody tr').first(), /Meter SN.*MTR-\{SEQ:4\}.*0Archive$/);

    await page.goto(`${server.url}/builds/new?project=${project}`);
    const wizard = page.getByRole('form', { name: 'New build' });
    await expect
      .poll(() => wizard.getByLabel('Project', { exact: true }).inputValue())
      .toBe(project);
    await wizard.getByLabel('Quantity', { exact: true }).fill('3');
    await choose(page, 'Location', 'Serial line');
    await choose(page, 'Customer serials', 'Meter SN');
    await wizard.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForURL(/\/c\/[0-9a-z]{26}$/);
    const build = codeInUrl(page);
    // The build page lists each unit with its customer serial.
    const unitsTable = page.getByRole('table', { name: 'Units', exact: true });
    await expect
      .poll(() => unitsTable.locator('tbody tr td[data-label="Unit"]').allTextContents())
      .toEqual([1, 2, 3].map((n) => `${build.slice(0, 8)}-${n}MTR-000${n}`));
    const units = (await admin.call('GET', `/api/v1/builds/${build}/units`)).items as {
      code: string;
    }[];
    expect(units).toHaveLength(3);

    await page.goto(`${server.url}/c/${units[1]!.code}`);
    await expectText(page.getByTestId('customer-serials'), 'MTR-0002 (Meter SN)');

    await scan(page, 'mtr-0003');
    await page.waitForURL(new RegExp(`/c/${units[2]!.code}$`));
    await expectText(page.getByTestId('customer-serials'), 'MTR-0003 (Meter SN)');
  });

  it('assigns serials of another format to chosen units from the build page', async () => {
    await admin.call('POST', '/api/v1/serial-formats', {
      name: 'Box label',
      pattern: 'BOX-{BUILD}-{N}',
      target: 'field',
      fieldName: 'Box',
    });
    const build = await admin.call('POST', '/api/v1/builds', {
      project,
      quantity: 4,
      location: (await admin.call('GET', '/api/v1/locations?q=Serial')).items[0].code,
    });
    await page.goto(`${server.url}/c/${build.code}`);
    const form = page.getByRole('form', { name: 'Assign serials' });
    await choose(form, 'Serial format', 'Box label');
    await form.getByLabel('Units', { exact: true }).fill('2-3');
    await form.getByRole('button', { name: 'Assign serials' }).click();
    await expectText(
      page.getByRole('status'),
      `2 customer serials of Box label given: BOX-${build.shortCode}-2 … BOX-${build.shortCode}-3`,
    );
    await form.getByLabel('Units', { exact: true }).fill('9');
    await form.getByRole('button', { name: 'Assign serials' }).click();
    await expectText(form.getByRole('alert'), 'the build has units 1–4');
    const units = (await admin.call('GET', `/api/v1/builds/${build.code}/units`)).items as {
      code: string;
    }[];
    const lot = await admin.call('GET', `/api/v1/lots/${units[1]!.code}`);
    expect(lot.customFields).toEqual({ Box: `BOX-${build.shortCode}-2` });
  });

  it('fits the serial formats page and the build page on a phone', async () => {
    const context = await browser.newContext(PHONE);
    const phone = await context.newPage();
    phone.setDefaultTimeout(ACTION_TIMEOUT);
    await session.logIn(`/serial-formats`, phone);
    await phone.getByRole('table', { name: 'Serial formats' }).waitFor();
    let size = await horizontalOverflow(phone);
    expect(size.scroll).toBeLessThanOrEqual(size.client);
    const builds = (await admin.call('GET', '/api/v1/builds')).items as { code: string }[];
    await phone.goto(`${server.url}/c/${builds[0]!.code}`);
    await phone.getByRole('form', { name: 'Assign serials' }).waitFor();
    size = await horizontalOverflow(phone);
    expect(size.scroll).toBeLessThanOrEqual(size.client);
    await context.close();
  });
});
