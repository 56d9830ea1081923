import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pdfText } from '../support/pdf-text.js';
import {
  choose,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  PHONE,
} from './support/browser.js';
import type { ApiSession } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * The pick list on a phone: lines by location, ticked off (kept over a reload), printed as a
 * PDF, then "Use these lots" completes the stage with exactly the lots the list named.
 */
describeInBrowser('web UI: pick list', () => {
  let session: E2eSession;
  let page: Page;
  let admin: ApiSession;
  const lots = { old: '', newer: '', cap: '' };
  let build = '';

  beforeAll(async () => {
    session = await openSession(PHONE);
    ({ page, admin } = session);
    const shelf = async (name: string) =>
      (await admin.call('POST', '/api/v1/locations', { name })).code as string;
    const [nine, ten, twelve, line] = [
      await shelf('Shelf 9'),
      await shelf('Shelf 10'),
      await shelf('Shelf 12'),
      await shelf('Line 1'),
    ];
    const resistor = await admin.call('POST', '/api/v1/parts', { name: '10k resistor' });
    const cap = await admin.call('POST', '/api/v1/parts', { name: '100n capacitor' });
    const receive = async (part: string, location: string, quantity: number, vendorLot: string) =>
      (
        await admin.call('POST', '/api/v1/stock/receive', {
          items: [{ part, location, quantity, lot: { vendorLot } }],
        })
      ).lots[0].code as string;
    lots.old = await receive(resistor.code, ten, 5, 'VL-OLD');
    lots.newer = await receive(resistor.code, nine, 100, 'VL-NEW');
    lots.cap = await receive(cap.code, twelve, 50, 'VL-CAP');
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Sensor' });
    await admin.call('PUT', `/api/v1/projects/${project.code}/bom`, {
      entries: [
        { part: resistor.code, quantity: 2, designators: 'R1, R2' },
        { part: cap.code, quantity: 1, designators: 'C1', stage: 2 },
      ],
    });
    build = (
      await admin.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 3,
        location: line,
      })
    ).code;
    await session.logIn(`/c/${build}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const headings = () => page.locator('section.pick-location h2').allTextContents();

  it('lists the lots by location, oldest first, and prints them as a PDF', async () => {
    await page.getByRole('link', { name: 'Pick list' }).click();
    await expectText(page.getByTestId('pick-summary'), /Stage 1: 3 units to complete/);
    expect(await headings()).toEqual(['Shelf 9', 'Shelf 10', 'Shelf 12']);
    // FIFO: the older reel (Shelf 10) gives all of its 5, the newer one the last 1.
    const shelfTen = page.getByRole('region', { name: 'Location Shelf 10' });
    await expectText(shelfTen.locator('li'), /^5 pcs 10k resistor from lot .*vendor lot VL-OLD/);
    await expectText(
      page.getByRole('region', { name: 'Location Shelf 9' }).locator('li'),
      /^1 pcs 10k resistor .*vendor lot VL-NEW/,
    );
    expect((await horizontalOverflow(page)).scroll).toBeLessThanOrEqual(
      (await horizontalOverflow(page)).client,
    );

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download PDF' }).click(),
    ]);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(bytes);
    expect(text).toContain('Pick list: Sensor');
    expect(text.indexOf('Shelf 9')).toBeLessThan(text.indexOf('Shelf 10'));
    expect(text).toContain('VL-OLD');
  });

  it('keeps ticked lines over a reload, per stage', async () => {
    await choose(page, 'Stage', 'Stage 1');
    await expectText(page.getByTestId('pick-summary'), /0 of 2 lines picked/);
    expect(await headings()).toEqual(['Shelf 9', 'Shelf 10']);
    await page.getByRole('region', { name: 'Location Shelf 10' }).getByRole('checkbox').check();
    await expectText(page.getByTestId('pick-summary'), /1 of 2 lines picked/);
    await page.reload();
    await choose(page, 'Stage', 'Stage 1');
    await expectText(page.getByTestId('pick-summary'), /1 of 2 lines picked/);
    expect(
      await page
        .getByRole('region', { name: 'Location Shelf 10' })
        .getByRole('checkbox')
        .isChecked(),
    ).toBe(true);
    expect(
      await page
        .getByRole('region', { name: 'Location Shelf 9' })
        .getByRole('checkbox')
        .isChecked(),
    ).toBe(false);
  });

  it("the lot chooser lists a part's lots oldest first, with receipt date, vendor lot and quantity", async () => {
    await page.getByRole('button', { name: 'Choose a lot by hand' }).click();
    const lot = page
      .getByRole('group', { name: 'Chosen lot 1' })
      .getByLabel('Lot', { exact: true });
    await expect.poll(() => lot.locator('option').count()).toBe(3);
    const options = (await lot.locator('option').allTextContents()).slice(1);
    expect(options).toEqual([
      expect.stringMatching(
        /^\S{8} · received \d{4}-\d\d-\d\d · vendor lot VL-OLD · 5 pcs on hand$/,
      ),
      expect.stringMatching(
        /^\S{8} · received \d{4}-\d\d-\d\d · vendor lot VL-NEW · 100 pcs on hand$/,
      ),
    ]);
    await page.getByRole('button', { name: 'Remove choice 1' }).click();
  });

  it('"Use these lots" completes the stage with exactly the lots of the list', async () => {
    await page.getByRole('region', { name: 'Location Shelf 9' }).getByRole('checkbox').check();
    await expectText(page.getByTestId('pick-summary'), /2 of 2 lines picked/);
    await page.getByRole('button', { name: 'Use these lots to complete stage 1' }).click();
    const form = page.getByRole('form', { name: 'Complete a stage' });
    await expect.poll(() => form.getByLabel('Stage', { exact: true }).inputValue()).toBe('1');
    await expect.poll(() => form.getByRole('group', { name: /Chosen lot/ }).count()).toBe(2);
    await expectText(
      form
        .getByRole('group', { name: 'Chosen lot 1' })
        .getByLabel('Lot', { exact: true })
        .locator('option:checked'),
      /received .* vendor lot VL-OLD/,
    );
    await form.getByRole('button', { name: 'Complete stage 1' }).click();
    await expectText(page.getByRole('status'), 'Stage 1 completed for 3 units (1–3).');
    // The picked lots were for that completion only: a reload does not offer them again.
    await page.reload();
    await form.waitFor();
    expect(await form.getByRole('group', { name: /Chosen lot/ }).count()).toBe(0);
    const consumed = (await admin.call('GET', `/api/v1/builds/${build}/consumption`)).items as {
      lot: { code: string };
      quantity: number;
    }[];
    expect(consumed.map((c) => [c.lot.code, c.quantity]).sort()).toEqual(
      [
        [lots.old, 5],
        [lots.newer, 1],
      ].sort(),
    );
  });
});
