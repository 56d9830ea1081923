import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

const OVERRIDE_NOTE = 'customer accepted the ICT deviation';
const RELEASE_NOTE = 'ICT fixture broken: checked by hand';

/**
 * A project that requires passed tests: finishing its build and releasing a repaired unit are
 * refused in the UI, naming what is not passed; the explicit override with a note goes
 * through and is recorded. And a test that requires a file, recorded with the file chosen in
 * the unit page's form.
 */
describeInBrowser('web UI: required tests and their override', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let admin: ApiSession;
  let location = '';
  let build = '';
  let units: { code: string; label: string }[] = [];

  beforeAll(async () => {
    session = await openSession();
    ({ server, page, admin } = session);
    location = (await admin.call('POST', '/api/v1/locations', { name: 'Test bay' })).code;
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Pressure gauge' });
    await admin.call('PATCH', `/api/v1/projects/${project.code}`, { requireTestsPassed: true });
    const templates = `/api/v1/parts/${project.part.code}/test-templates`;
    await admin.call('POST', templates, { key: 'ict', name: 'In-circuit test' });
    await admin.call('POST', templates, {
      key: 'cal',
      name: 'Calibration log',
      required: false,
      requiresAttachment: true,
    });
    build = (
      await admin.call('POST', '/api/v1/builds', { project: project.code, quantity: 2, location })
    ).code;
    units = (await admin.call('GET', `/api/v1/builds/${build}/units`)).items;
    await admin.call('POST', '/api/v1/test-results/batch', {
      results: [
        { unit: units[0]!.code, key: 'ict', result: 'pass' },
        { unit: units[1]!.code, key: 'ict', result: 'fail' },
      ],
    });
    await session.logIn(`/c/${build}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('refuses to finish the build with a failed test, then finishes with the override', async () => {
    const form = page.getByRole('form', { name: 'Finish the build' });
    const override = form.getByLabel('Finish although required tests are not passed');
    expect(await override.count()).toBe(0);
    await form.getByRole('button', { name: 'Finish build' }).click();
    await expectText(
      form.getByRole('alert'),
      /required tests not passed on 1 unit: \S+ ict failed/,
    );
    expect((await admin.call('GET', `/api/v1/builds/${build}`)).status).toBe('in_progress');

    await override.check();
    await form.getByLabel('Finish note', { exact: true }).fill(OVERRIDE_NOTE);
    await form.getByRole('button', { name: 'Finish build' }).click();
    await expectText(page.getByText(/^Finish note:/), `Finish note: ${OVERRIDE_NOTE}`);
    expect(await admin.call('GET', `/api/v1/builds/${build}`)).toMatchObject({
      status: 'finished',
      finishNote: OVERRIDE_NOTE,
    });
    // The override is an event of the build, with what was not passed.
    const history = await admin.call('GET', `/api/v1/lots/${build}/history`);
    const overridden = history.items.filter((i: { type: string }) => i.type === 'tests_overridden');
    expect(overridden).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ note: OVERRIDE_NOTE, failing: 1 }),
      }),
    ]);
  });

  it('records a test that requires a file with the file chosen in the form', async () => {
    const unit = units[1]!;
    await page.goto(`${server.url}/c/${unit.code}`);
    const form = page.getByRole('form', { name: 'Record a test result' });
    await form.getByLabel('Test', { exact: true }).selectOption('cal');
    const zone = form.getByTestId('test-file-drop-zone');
    await expectText(zone.locator('.empty'), 'No file chosen yet.');
    await form.getByRole('radiogroup', { name: 'Result' }).getByText('Pass').click();
    await form.getByRole('button', { name: 'Record result' }).click();
    await expectText(zone.getByRole('alert'), 'Choose or take the file this test requires.');

    await zone.getByLabel('Choose the test file', { exact: true }).setInputFiles({
      name: 'calibration.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('offset 0.02 kPa, span ok\n'),
    });
    await expectText(zone.getByTestId('test-file'), /^calibration\.txt \(25 bytes\)/);
    expect(await zone.getByRole('alert').count()).toBe(0);
    await form.getByRole('button', { name: 'Record result' }).click();
    await expectText(page.getByRole('status').first(), 'Calibration log: passed.');
    await expectText(zone.locator('.empty'), 'No file chosen yet.');
    // The file is the unit's, shown in its Files, and the result names it.
    const files = page.getByRole('region', { name: 'Files' });
    await files.getByText('calibration.txt').first().waitFor();
    const attached = await admin.call('GET', `/api/v1/attachments?subject=${unit.code}`);
    expect(attached.items.map((a: { fileName: string }) => a.fileName)).toEqual([
      'calibration.txt',
    ]);
    const tests = await admin.call('GET', `/api/v1/units/${unit.code}/tests`);
    expect(tests.results.items[0]).toMatchObject({
      key: 'cal',
      result: 'pass',
      attachment: attached.items[0].code,
    });
  });

  it('refuses to release a repaired unit with a failed test; the override is in its history', async () => {
    const unit = units[1]!;
    await admin.call('POST', '/api/v1/shipments', {
      customer: 'Acme',
      reference: 'PO-7',
      units: [unit.code],
    });
    await admin.call('POST', `/api/v1/units/${unit.code}/return`, {
      reason: 'reads 5 % high',
      location,
    });
    await admin.call('POST', `/api/v1/units/${unit.code}/repair`, {});
    await page.goto(`${server.url}/c/${unit.code}`);
    const service = page.getByRole('region', { name: 'Unit' });
    await expectText(service.getByTestId('lifecycle-state'), 'In repair');

    await service.getByRole('button', { name: 'Release unit' }).click();
    const form = page.getByRole('form', { name: 'Release the unit' });
    await form.getByLabel('Release note', { exact: true }).fill(RELEASE_NOTE);
    await form.getByRole('button', { name: 'Release to stock' }).click();
    await expectText(
      form.getByRole('alert'),
      /cannot be released: required tests not passed: ict failed \(release with override/,
    );
    expect((await admin.call('GET', `/api/v1/units/${unit.code}`)).state).toBe('in_repair');

    await form.getByLabel('Override the release checks (the note must say why)').check();
    await form.getByRole('button', { name: 'Release to stock' }).click();
    await expectText(service.getByTestId('lifecycle-state'), 'Available');
    // The release event says it went past the gate, why, and what was not passed.
    const item = page
      .getByRole('list', { name: 'History' })
      .locator('li.history-item')
      .filter({ hasText: 'Released from repair' });
    await expectText(
      item.locator('.history-changes'),
      // The change log keeps an event's fields in canonical (sorted) order.
      new RegExp(
        `gate: required tests not passed: ict failed.*note: ${RELEASE_NOTE}.*override: true`,
      ),
    );
  });
});
