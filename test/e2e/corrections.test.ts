import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * A result recorded on the wrong unit is voided on the unit page, with a reason: the row stays,
 * struck, with who voided it and why, and the unit's status no longer counts it. A shipment
 * entered by mistake is reversed on its page: it stays, marked, and its units are available.
 */
describeInBrowser('web UI: corrections', () => {
  let session: E2eSession;
  let page: Page;
  let admin: ApiSession;
  let unit = '';
  let result = 0;
  let project = '';
  let location = '';

  beforeAll(async () => {
    session = await openSession();
    ({ page, admin } = session);
    location = (await admin.call('POST', '/api/v1/locations', { name: 'Test bay' })).code;
    const created = await admin.call('POST', '/api/v1/projects', { name: 'Flow sensor' });
    project = created.code;
    await admin.call('POST', `/api/v1/parts/${created.part.code}/test-templates`, {
      key: 'ict',
      name: 'In-circuit test',
    });
    const build = (await admin.call('POST', '/api/v1/builds', { project, quantity: 2, location }))
      .code;
    unit = (await admin.call('GET', `/api/v1/builds/${build}/units`)).items[0].code;
    result = (
      await admin.call('POST', `/api/v1/units/${unit}/tests`, { key: 'ict', result: 'pass' })
    ).id;
    await session.logIn(`/c/${unit}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('voids a result with a reason: the row is struck, the status changes', async () => {
    const status = page.getByRole('table', { name: 'Test status' });
    await expectText(status.locator('tr[data-key="ict"] [data-status]'), 'Pass');
    await expectText(page.getByTestId('tests-passed'), 'Every required test passed.');

    const results = page.getByRole('table', { name: 'Test results' });
    const row = results.locator(`tr[data-result="${result}"]`);
    await row.getByRole('button', { name: 'Void…' }).click();
    const form = page.getByRole('form', { name: 'Void the result' });
    // A reason is required: the browser keeps the form from being sent without one.
    await form.getByRole('button', { name: 'Void In-circuit test' }).click();
    expect(
      await form.getByLabel('Reason').evaluate((i) => (i as HTMLInputElement).validity.valid),
    ).toBe(false);
    await form.getByLabel('Reason').fill('recorded on the wrong unit');
    await form.getByRole('button', { name: 'Void In-circuit test' }).click();

    await expectText(page.getByRole('status'), 'In-circuit test: result voided.');
    await expectText(row.locator('.void-note'), /Voided by .+: recorded on the wrong unit/);
    expect(await row.getAttribute('class')).toBe('voided');
    const struck = await row
      .locator('td')
      .first()
      .evaluate((td) => getComputedStyle(td).textDecorationLine);
    expect(struck).toBe('line-through');
    await expectText(status.locator('tr[data-key="ict"] [data-status]'), 'Missing');
    await expectText(page.getByTestId('tests-passed'), 'Required tests not passed yet.');
    await expect.poll(() => row.getByRole('button', { name: 'Void…' }).count()).toBe(0);

    const tests = await admin.call('GET', `/api/v1/units/${unit}/tests`);
    expect(tests.passed).toBe(false);
    expect(tests.results.items[0].voided.reason).toBe('recorded on the wrong unit');
  });

  it('reverses a shipment entered by mistake: marked reversed, its unit available again', async () => {
    const build = await admin.call('POST', '/api/v1/builds', {
      project,
      quantity: 1,
      location,
      run: true,
    });
    const shipped = (await admin.call('GET', `/api/v1/builds/${build.code}/units`)).items[0].code;
    const shipment = await admin.call('POST', '/api/v1/shipments', {
      customer: 'Wrong customer',
      reference: 'PO-typo',
      units: [shipped],
    });
    await page.goto(`${session.server.url}/c/${shipment.code}`);
    const units = page.getByRole('table', { name: 'Shipped units' });
    await expectText(units.locator('tbody tr td[data-label="State"]'), 'Shipped');
    await page.getByRole('button', { name: 'Reverse shipment…' }).click();
    const form = page.getByRole('form', { name: 'Reverse the shipment' });
    await form.getByLabel('Reason').fill('entered for the wrong customer');
    await form.getByRole('button', { name: 'Reverse shipment' }).click();
    await expectText(
      page.getByTestId('shipment-reversed'),
      /Reversed by .+: entered for the wrong customer\./,
    );
    await expectText(units.locator('tbody tr td[data-label="State"]'), 'Available');
    await expect
      .poll(() => page.getByRole('button', { name: 'Reverse shipment…' }).count())
      .toBe(0);
    const unit = await admin.call('GET', `/api/v1/units/${shipped}`);
    expect(unit).toMatchObject({ state: 'available', shipment: null });
  });
});
