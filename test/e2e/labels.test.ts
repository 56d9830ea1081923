import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodePdfPage, pdfPages } from '../support/barcode-decode.js';
import {
  ACTION_TIMEOUT,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  openLoggedIn,
  PHONE,
} from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';
import { buildSerialLabel } from '../../src/domain/unit-label.js';

const MM = 72 / 25.4;

/**
 * The labels page: a build's labels previewed as a 62 mm tape PDF whose symbols decode back to
 * the unit pages, a UDI label refused for a part without GTIN, a template made from a preset
 * with a line of its own, and a part's GTIN and supplier part numbers on the part page.
 */
describeInBrowser('web UI: labels, templates and GTIN', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;
  let build = { code: '', shortCode: '' };
  let part = '';
  let units: { code: string; shortCode: string }[] = [];
  const viewer = { username: 'vera', password: 'viewer-password-1' };

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser, page, admin } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 1' })).code;
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Sensor' });
    build = await admin.call('POST', '/api/v1/builds', {
      project: project.code,
      quantity: 3,
      location,
    });
    part = build.code && (await admin.call('GET', `/api/v1/builds/${build.code}`)).part.code;
    units = (await admin.call('GET', `/api/v1/builds/${build.code}/units`)).items;
    await admin.call('POST', '/api/v1/users', { ...viewer, role: 'viewer' });
    await session.logIn(`/c/${build.code}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  /** The bytes behind the preview's blob: URL, read in the page that made it. */
  const previewBytes = async (): Promise<Uint8Array> => {
    const src = await page.getByTitle('Label preview').getAttribute('src');
    expect(src).toMatch(/^blob:/);
    const bytes = await page.evaluate(async (url) => {
      const answer = await fetch(url);
      return Array.from(new Uint8Array(await answer.arrayBuffer()));
    }, src!);
    return Uint8Array.from(bytes);
  };

  it('previews all units of a build on 62 mm tape; each symbol opens its unit page', async () => {
    await page.getByRole('link', { name: 'Print labels for all units', exact: true }).click();
    await page.waitForURL(`${server.url}/labels?build=${build.code}`);
    await expectText(
      page.getByTestId('print-summary'),
      `Labels for all 3 units of build ${build.shortCode}`,
    );
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expectText(page.getByTestId('label-count'), '3 labels ready');
    const pdf = await previewBytes();
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { count, sizes } = pdfPages(pdf);
    expect(count).toBe(3);
    expect(sizes[0]![0]).toBeCloseTo(62 * MM, 0);
    expect(sizes[0]![1]).toBeCloseTo(29 * MM, 0);
    for (const [i, unit] of units.entries()) {
      const decoded = await decodePdfPage(pdf, i + 1);
      expect(decoded.map((d) => [d.format, d.text])).toEqual([
        ['DataMatrix', `${server.url}/c/${unit.code}`],
      ]);
    }
    expect(
      await page.getByRole('link', { name: 'Download', exact: true }).getAttribute('download'),
    ).toMatch(/\.pdf$/);
  });

  it("prints only the units typed, a build's reprint", async () => {
    const units_ = page.getByLabel('Units', { exact: true });
    await units_.fill('2-3');
    await units_.press('Enter');
    await page.waitForURL(`${server.url}/labels?build=${build.code}&units=2-3`);
    await expectText(
      page.getByTestId('print-summary'),
      `Labels for units 2-3 of build ${build.shortCode}`,
    );
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expectText(page.getByTestId('label-count'), '2 labels ready');
    const pdf = await previewBytes();
    expect((await decodePdfPage(pdf, 1)).map((d) => d.text)).toEqual([
      `${server.url}/c/${units[1]!.code}`,
    ]);
    await units_.fill('');
    await units_.press('Enter');
    await page.waitForURL(`${server.url}/labels?build=${build.code}`);
  });

  it('prints the units typed as labels name them: a short code and a build serial', async () => {
    // The unit list reads units as the scan box does; only lots are candidates, so the build
    // itself (whose code may start with the label's text, hyphen dropped) is no second reading.
    const [byShortCode, byLabel] = [0, 2];
    const typed = `${units[byShortCode]!.shortCode}, ${buildSerialLabel(build.code, byLabel + 1)}`;
    const units_ = page.getByLabel('Units', { exact: true });
    await units_.fill(typed);
    await units_.press('Enter');
    await expectText(
      page.getByTestId('print-summary'),
      `Labels for units ${typed} of build ${build.shortCode}`,
    );
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expectText(page.getByTestId('label-count'), '2 labels ready');
    const pdf = await previewBytes();
    const decoded = [await decodePdfPage(pdf, 1), await decodePdfPage(pdf, 2)];
    expect(decoded.map((d) => d.map((s) => s.text))).toEqual([
      [`${server.url}/c/${units[byShortCode]!.code}`],
      [`${server.url}/c/${units[byLabel]!.code}`],
    ]);
    await units_.fill('');
    await units_.press('Enter');
    await page.waitForURL(`${server.url}/labels?build=${build.code}`);
  });

  it('shows ZPL as text, and names the unit when a UDI label lacks a GTIN', async () => {
    await page
      .getByRole('radiogroup', { name: 'Format' })
      .getByText('ZPL', { exact: false })
      .click();
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expectText(page.getByLabel('ZPL', { exact: true }), /^\^XA[\s\S]*\^XZ\s*$/);
    await page
      .getByRole('radiogroup', { name: 'Format' })
      .getByText('PDF', { exact: true })
      .click();
    await page.getByLabel('Symbol', { exact: true }).selectOption('gs1datamatrix');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expectText(
      page.getByRole('alert'),
      new RegExp(`${units[0]!.shortCode}: a UDI label needs a lot of a part with a GTIN`),
    );
    await expect.poll(() => page.getByTitle('Label preview').count()).toBe(0);
  });

  it('creates a template from a preset with a line of its own, and prints with it', async () => {
    await page.getByLabel('New template from a preset', { exact: true }).selectOption('tape-62x29');
    await page.getByRole('button', { name: 'New template', exact: true }).click();
    const form = page.getByRole('form', { name: 'New label template' });
    await expect
      .poll(() => form.getByLabel('Line 1', { exact: true }).inputValue())
      .toBe('{shortCode}');
    await form.getByLabel('Template name', { exact: true }).fill('Sensor 62 mm');
    await form.getByRole('button', { name: 'Add line', exact: true }).click();
    const lines = await form.locator('.label-line').count();
    await form.getByLabel(`Line ${lines}`, { exact: true }).fill('Made by {nonsense}');
    await form.getByRole('button', { name: 'Create template', exact: true }).click();
    await expectText(form.getByRole('alert'), /unknown field "nonsense"/);
    expect(
      await form.getByLabel(`Line ${lines}`, { exact: true }).getAttribute('aria-invalid'),
    ).toBe('true');
    await form.getByLabel(`Line ${lines}`, { exact: true }).fill('Made by ACME {date}');
    await form.getByRole('button', { name: 'Create template', exact: true }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'Created' }),
      'Created Sensor 62 mm.',
    );
    const table = page.getByRole('table', { name: 'Label templates' });
    await expectText(table.locator('td[data-label="Name"]'), 'Sensor 62 mm');
    const { items } = await admin.call('GET', '/api/v1/label-templates');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: 'Sensor 62 mm',
      media: 'tape-62x29',
      symbology: 'datamatrix',
    });
    expect(items[0].lines.at(-1)).toEqual({ parts: [{ text: 'Made by ACME ' }, 'date'] });

    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'Sensor 62 mm' });
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expectText(page.getByTestId('label-count'), '3 labels ready');
    const decoded = await decodePdfPage(await previewBytes(), 2);
    expect(decoded.map((d) => d.text)).toEqual([`${server.url}/c/${units[1]!.code}`]);
  });

  it('changes, archives and restores a template', async () => {
    const table = page.getByRole('table', { name: 'Label templates' });
    await page.getByRole('button', { name: 'Change Sensor 62 mm', exact: true }).click();
    const form = page.getByRole('form', { name: 'Change Sensor 62 mm' });
    await form.getByLabel('Symbol', { exact: true }).selectOption('qr');
    await form.getByRole('button', { name: 'Remove line 1', exact: true }).click();
    await form.getByRole('button', { name: 'Save template', exact: true }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'Saved' }), 'Saved Sensor 62 mm.');
    await expectText(table.locator('td[data-label="Symbol"]'), 'QR code');
    const [saved] = (await admin.call('GET', '/api/v1/label-templates')).items;
    expect(saved.symbology).toBe('qr');
    expect(saved.lines[0]).not.toEqual({ parts: ['shortCode'], bold: true });

    await page.getByRole('button', { name: 'Archive Sensor 62 mm', exact: true }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'Archived' }),
      'Archived Sensor 62 mm.',
    );
    await expect.poll(() => table.count()).toBe(0);
    // The print form falls back to the presets once its template is archived.
    expect(await page.getByLabel('Template', { exact: true }).inputValue()).toBe('');
    await page.getByLabel('Show archived', { exact: true }).check();
    await expectText(table.locator('td[data-label="Name"]'), 'Sensor 62 mmarchived');
    // Listed among the templates, but not offered for printing.
    const offered = page.getByLabel('Template', { exact: true }).locator('option');
    expect(await offered.allTextContents()).not.toContain('Sensor 62 mm');
    await page.getByRole('button', { name: 'Restore Sensor 62 mm', exact: true }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'Restored' }),
      'Restored Sensor 62 mm.',
    );
    await expectText(table.locator('td[data-label="Name"]'), 'Sensor 62 mm');
    await expect.poll(() => offered.allTextContents()).toContain('Sensor 62 mm');
  });

  it('starts an A4 sheet at a later position to reuse a partly used sheet', async () => {
    await page.getByLabel('Media', { exact: true }).selectOption('a4-3x8');
    await page.getByLabel('Symbol', { exact: true }).selectOption('qr');
    const start = page.getByLabel('Start at label', { exact: true });
    expect(await start.getAttribute('aria-describedby')).toBeTruthy();
    await expectText(page.getByText(/to reuse a partly used sheet/), /1 to 24/);
    await start.fill('5');
    await page.getByRole('button', { name: /^Preview/ }).click();
    await expectText(page.getByTestId('label-count'), '3 labels ready');
    const pdf = await previewBytes();
    expect(pdfPages(pdf).count).toBe(1);
    const decoded = await decodePdfPage(pdf, 1);
    expect(decoded.map((d) => d.text).sort()).toEqual(
      units.map((u) => `${server.url}/c/${u.code}`).sort(),
    );
    // Label 5 of a 3 × 8 sheet is the middle of the second row.
    const first = decoded.find((d) => d.text.endsWith(units[0]!.code))!;
    const pageHeightPx = (297 / 25.4) * 300;
    expect(first.y).toBeGreaterThan(pageHeightPx / 8);
    expect(first.x).toBeGreaterThan((210 / 25.4) * 300 * (1 / 3));
  });

  it('sets a part’s GTIN and supplier part numbers, refusing a wrong check digit', async () => {
    await page.goto(`${server.url}/c/${part}`);
    const form = page.getByRole('form', { name: 'GTIN and supplier part numbers' });
    const gtin = form.getByLabel('GTIN', { exact: true });
    await gtin.fill('09506000134353');
    await form.getByRole('button', { name: 'Add supplier part number', exact: true }).click();
    await form.getByLabel('Supplier 1', { exact: true }).fill('Digi-Key');
    await form.getByLabel('Supplier 1 part number', { exact: true }).fill('SEN-1-ND');
    await form.getByRole('button', { name: 'Save GTIN and suppliers', exact: true }).click();
    await expectText(form.getByRole('alert'), /^GTIN: .*check digit/);
    expect(await gtin.getAttribute('aria-invalid')).toBe('true');
    expect((await admin.call('GET', `/api/v1/parts/${part}`)).gtin).toBeNull();

    // An empty row is dropped; a row naming the same part number twice is the one marked.
    await gtin.fill('09506000134352');
    await form.getByRole('button', { name: 'Add supplier part number', exact: true }).click();
    await form.getByRole('button', { name: 'Add supplier part number', exact: true }).click();
    await form.getByLabel('Supplier 3', { exact: true }).fill('digi-key');
    await form.getByLabel('Supplier 3 part number', { exact: true }).fill('SEN-1-ND');
    await form.getByRole('button', { name: 'Save GTIN and suppliers', exact: true }).click();
    await expectText(form.getByRole('alert'), /^Supplier 2: .*listed twice/);
    const second = form.getByLabel('Supplier 2 part number', { exact: true });
    expect(await second.inputValue()).toBe('SEN-1-ND');
    expect(await second.getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Supplier 1', { exact: true }).getAttribute('aria-invalid')).toBe(
      null,
    );
    await form.getByRole('button', { name: 'Remove supplier 2', exact: true }).click();
    await form.getByRole('button', { name: 'Save GTIN and suppliers', exact: true }).click();
    await expectText(form.getByRole('status'), 'Saved.');
    expect(await admin.call('GET', `/api/v1/parts/${part}`)).toMatchObject({
      gtin: '09506000134352',
      suppliers: [{ supplier: 'Digi-Key', sku: 'SEN-1-ND' }],
    });
  });

  it('prints a UDI label once the part has a GTIN', async () => {
    await page.goto(`${server.url}/labels?codes=${units[0]!.code}`);
    await expectText(page.getByTestId('print-summary'), /^Labels for 1 unit/);
    await page.getByLabel('Symbol', { exact: true }).selectOption('gs1datamatrix');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expectText(page.getByTestId('label-count'), '1 label ready');
    const decoded = await decodePdfPage(await previewBytes(), 1);
    expect(decoded[0]?.text).toMatch(/^\(01\)09506000134352/);
  });

  it('lets a viewer on a phone print, with the templates read-only', async () => {
    const phone = await browser.newPage({ ...PHONE });
    phone.setDefaultTimeout(ACTION_TIMEOUT);
    try {
      await openLoggedIn(
        phone,
        `${server.url}/labels?build=${build.code}`,
        viewer.username,
        viewer.password,
      );
      await expectText(phone.getByTestId('print-summary'), /all 3 units/);
      await expectText(
        phone.getByRole('table', { name: 'Label templates' }).locator('td[data-label="Name"]'),
        'Sensor 62 mm',
      );
      expect(await phone.getByRole('button', { name: 'New template' }).count()).toBe(0);
      expect(await phone.getByRole('button', { name: /^(Change|Archive) / }).count()).toBe(0);
      await phone.getByRole('button', { name: 'Preview', exact: true }).click();
      await expectText(phone.getByTestId('label-count'), '3 labels ready');
      const { scroll, client } = await horizontalOverflow(phone);
      expect(scroll).toBeLessThanOrEqual(client);
      await phone.goto(`${server.url}/c/${part}`);
      await expectText(phone.locator('dd').filter({ hasText: '0950' }), '09506000134352');
      expect(
        await phone.getByRole('form', { name: 'GTIN and supplier part numbers' }).count(),
      ).toBe(0);
    } finally {
      await phone.close();
    }
  });
});
