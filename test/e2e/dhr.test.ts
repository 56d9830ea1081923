import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pdfText } from '../support/pdf-text.js';
import { describeInBrowser } from './support/browser.js';
import { buildThreeUnits, type BuiltUnits } from './support/fixtures.js';
import { openSession, type E2eSession } from './support/session.js';

/** The "Device History Record (PDF)" buttons of the unit and build pages download the record. */
describeInBrowser('web UI: Device History Record', () => {
  let session: E2eSession;
  let page: Page;
  let built: BuiltUnits;
  let build: { code: string; shortCode: string };
  beforeAll(async () => {
    session = await openSession();
    page = session.page;
    const { admin } = session;
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 1' })).code;
    built = await buildThreeUnits(admin, location);
    await admin.call('POST', `/api/v1/units/${built.units[0]!.code}/events`, {
      type: 'inspection',
      text: 'Visual inspection passed: no solder bridges',
    });
    build = (await admin.call('GET', `/api/v1/units/${built.units[0]!.code}`)).build;
    await session.logIn(`/c/${built.units[0]!.code}`);
  });
  afterAll(() => session?.close());

  /** Clicks the button and reads the PDF it downloads. */
  async function downloadPdf(): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Device History Record (PDF)' }).click(),
    ]);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    return { name: download.suggestedFilename(), text: pdfText(bytes) };
  }

  it("the unit page's button downloads the unit's record", async () => {
    const [unit] = built.units;
    const { name, text } = await downloadPdf();
    expect(name).toBe(`dhr-unit-${unit!.code.slice(0, 8)}.pdf`);
    expect(text).toContain(`Device History Record — unit ${unit!.label}`);
    expect(text).toContain(unit!.code);
    expect(text).toContain('Visual inspection passed: no solder bridges');
    expect(text).toContain('Main board');
  });

  it("the build page's button downloads the build's record with its units", async () => {
    await page.goto(`${session.server.url}/c/${build.code}`);
    const { name, text } = await downloadPdf();
    expect(name).toBe(`dhr-build-${build.shortCode}.pdf`);
    expect(text).toContain(`Device History Record — build ${build.shortCode}`);
    for (const unit of built.units) {
      expect(text).toContain(unit.code);
      expect(text).toContain(unit.label);
    }
    expect(text).toContain('scrapped');
  });
});
