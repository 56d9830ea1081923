import type { Browser, Page } from 'playwright-core';
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

/**
 * Tests end to end: templates defined on the part page, results uploaded by a test station's
 * script with an API key, pass/fail/missing on the build page and the unit page, a result
 * recorded by hand on the unit page.
 */
describeInBrowser('web UI: test templates and results', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;
  let project = { code: '', part: '' };
  let build = '';
  let units: { code: string; label: string }[] = [];
  let stationKey = '';

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser, page, admin } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Test bay' })).code;
    const created = await admin.call('POST', '/api/v1/projects', { name: 'Flow sensor' });
    project = { code: created.code, part: created.part.code };
    build = (
      await admin.call('POST', '/api/v1/builds', { project: project.code, quantity: 3, location })
    ).code;
    units = (await admin.call('GET', `/api/v1/builds/${build}/units`)).items;
    stationKey = (
      await admin.call('POST', '/api/v1/api-keys', { name: 'ICT station', role: 'editor' })
    ).key;
    await session.logIn(`/c/${project.part}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('defines two tests on the part page', async () => {
    await expectText(page.locator('#tests-heading + p.empty'), /No tests defined for this part/);
    const form = page.getByRole('form', { name: 'Add a test' });
    await form.getByLabel('Key', { exact: true }).fill('ict');
    await form.getByLabel('Test name', { exact: true }).fill('In-circuit test');
    await form.getByRole('button', { name: 'Add test' }).click();
    await expectText(page.getByRole('status'), 'Test In-circuit test added.');

    await form.getByLabel('Key', { exact: true }).fill('vcc');
    await form.getByLabel('Test name', { exact: true }).fill('Supply voltage');
    await form.getByLabel('Records', { exact: true }).selectOption('number');
    await form.getByLabel('Unit', { exact: true }).fill('V');
    await form.getByLabel('Minimum', { exact: true }).fill('4.75');
    await form.getByLabel('Maximum', { exact: true }).fill('5.25');
    await form.getByRole('button', { name: 'Add test' }).click();
    await expectText(page.getByRole('status'), 'Test Supply voltage added.');

    const table = page.getByRole('table', { name: 'Test templates' });
    await expectText(table.locator('tbody tr').nth(1), /vccSupply voltageNumber4.75 … 5.25 Vyes/);
    // A duplicate key is refused with the reason.
    await form.getByLabel('Key', { exact: true }).fill('ICT');
    await form.getByLabel('Test name', { exact: true }).fill('Again');
    await form.getByRole('button', { name: 'Add test' }).click();
    await expectText(form.getByRole('alert'), /Key: the part has a test with key 'ict' already/);
    const templates = await admin.call('GET', `/api/v1/parts/${project.part}/test-templates`);
    expect(templates.items.map((t: { key: string }) => t.key)).toEqual(['ict', 'vcc']);
    // A test's code (printed on a test instruction) opens its part's page.
    await page.goto(`${server.url}/c/${templates.items[1].code}`);
    await page.waitForURL(`${server.url}/c/${project.part}`);
    await page.getByRole('table', { name: 'Test templates' }).waitFor();
  });

  it('shows pass, fail and missing on the build page after a station uploads CSV', async () => {
    const [u1, u2, u3] = units as [(typeof units)[0], (typeof units)[0], (typeof units)[0]];
    const csv = [
      'unit,key,result,value,station,operator',
      `${u1.code},ict,pass,,ICT-1,kim`,
      `${u1.code},vcc,,5.01,FCT-1,kim`,
      `${u2.code},ict,fail,,ICT-1,kim`,
      `${u3.code},vcc,,4.5,FCT-1,kim`,
    ].join('\n');
    const res = await fetch(`${server.url}/api/v1/test-results/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stationKey}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 4, rejected: 0 });

    await page.goto(`${server.url}/c/${build}`);
    const summary = page.getByRole('table', { name: 'Test summary' });
    await expectText(summary.getByTestId('pass-ict'), '1');
    await expectText(summary.getByTestId('fail-ict'), '1');
    await expectText(summary.getByTestId('missing-ict'), '1');
    await expectText(summary.getByTestId('pass-vcc'), '1');
    await expectText(summary.getByTestId('fail-vcc'), '1');
    await expectText(summary.getByTestId('missing-vcc'), '1');
  });

  it("shows a unit's tests and records a result there", async () => {
    const u2 = units[1]!;
    await page.goto(`${server.url}/c/${u2.code}`);
    const status = page.getByRole('table', { name: 'Test status' });
    await expectText(status.locator('tr[data-key="ict"] [data-status]'), 'Fail');
    await expectText(status.locator('tr[data-key="vcc"] [data-status]'), 'Missing');
    await expectText(page.getByTestId('tests-passed'), 'Required tests not passed yet.');

    const form = page.getByRole('form', { name: 'Record a test result' });
    await form.getByLabel('Test', { exact: true }).selectOption('vcc');
    await form.getByLabel('Value (V)', { exact: true }).fill('4.9');
    await form.getByLabel('Station', { exact: true }).fill('Bench 3');
    await form.getByRole('button', { name: 'Record result' }).click();
    await expectText(page.getByRole('status'), 'Supply voltage: passed.');
    await expectText(status.locator('tr[data-key="vcc"] [data-status]'), 'Pass');

    await form.getByLabel('Test', { exact: true }).selectOption('ict');
    await form.getByRole('radiogroup', { name: 'Result' }).getByText('Pass').click();
    await form.getByRole('button', { name: 'Record result' }).click();
    await expectText(page.getByRole('status'), 'In-circuit test: passed.');
    await expectText(status.locator('tr[data-key="ict"] [data-status]'), 'Pass');
    await expectText(page.getByTestId('tests-passed'), 'Every required test passed.');
    const results = page.getByRole('table', { name: 'Test results' });
    await expect.poll(() => results.locator('tbody tr').count()).toBe(3);
    await expectText(results.locator('tbody tr').nth(1), /Supply voltage\s*Pass\s*4.9Bench 3/);

    // Out of the limits: the server judges it a failure.
    await form.getByLabel('Test', { exact: true }).selectOption('vcc');
    await form.getByLabel('Value (V)', { exact: true }).fill('6');
    await form.getByRole('button', { name: 'Record result' }).click();
    await expectText(page.getByRole('status'), 'Supply voltage: failed.');
    const stored = await admin.call('GET', `/api/v1/units/${u2.code}/tests`);
    expect(stored.results.items.map((r: any) => [r.key, r.result, r.valueNumber])).toEqual([
      ['vcc', 'fail', '6'],
      ['ict', 'pass', null],
      ['vcc', 'pass', '4.9'],
      ['ict', 'fail', null],
    ]);
  });

  it('fits a phone: the unit tests and the build summary scroll only vertically', async () => {
    const phone = await browser.newContext(PHONE);
    const small = await phone.newPage();
    small.setDefaultTimeout(ACTION_TIMEOUT);
    await session.logIn(`/c/${units[0]!.code}`, small);
    await small.getByRole('table', { name: 'Test status' }).waitFor();
    let overflow = await horizontalOverflow(small);
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
    await small.goto(`${server.url}/c/${build}`);
    await small.getByRole('table', { name: 'Test summary' }).waitFor();
    overflow = await horizontalOverflow(small);
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
    await phone.close();
  });
});
