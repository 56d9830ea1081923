import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ACTION_TIMEOUT,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  openLoggedIn,
  PHONE,
  scan,
} from './support/browser.js';
import type { E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: viewers and phones', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  const viewer = { username: 'vera', password: 'viewer-password-1' };
  let lot: { code: string; shortCode: string };

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser } = session);
    const { admin } = session;
    await admin.call('POST', '/api/v1/users', { ...viewer, role: 'viewer' });
    const part = await admin.call('POST', '/api/v1/parts', {
      name: 'STM32G431CBU6 microcontroller, UFQFPN-48, with a rather long descriptive name',
      mpn: 'STM32G431CBU6',
    });
    const location = await admin.call('POST', '/api/v1/locations', {
      name: 'Dry cabinet 2, drawer 14 (moisture-sensitive devices)',
    });
    const other = await admin.call('POST', '/api/v1/locations', { name: 'Line 1 feeder' });
    const received = await admin.call('POST', '/api/v1/stock/receive', {
      items: [
        {
          part: part.code,
          location: location.code,
          quantity: 490,
          lot: {
            name: 'LOT-2024-0042',
            vendorLot: 'VL-A1B2C3D4E5F6G7H8I9J0-a-very-long-vendor-lot-without-spaces',
            dateCode: '2412',
            expiry: '2026-12-31',
            orderRef: 'PO-7731',
            comments: 'Bake 24 h at 125 °C before use.',
            tags: ['msl3', 'tray'],
            customFields: { 'Floor life': '168 h' },
          },
        },
      ],
    });
    lot = received.lots[0];
    await admin.call('POST', '/api/v1/stock/move', {
      lot: lot.code,
      to: other.code,
      quantity: 90,
    });
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  async function newPage(options: object = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT);
    return { context, page };
  }

  it('shows a viewer the lot fields read-only, without stock actions', async () => {
    const { context, page } = await newPage();
    await openLoggedIn(page, `${server.url}/c/${lot.code}`, viewer.username, viewer.password);
    await page.waitForURL(`${server.url}/c/${lot.code}`);
    await expectText(page.getByTestId('short-code'), lot.shortCode);

    const fields = page.getByTestId('lot-fields-readonly');
    await fields.waitFor();
    const text = await fields.textContent();
    for (const value of ['LOT-2024-0042', 'PO-7731', '2026-12-31', 'msl3', '168 h']) {
      expect(text).toContain(value);
    }
    expect(await fields.locator('input, textarea, select, button').count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Lot fields' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Stock action' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save fields' }).count()).toBe(0);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Scan',
      'Parts',
      'Locations',
      'Projects',
      'Builds',
      'Shipments',
      'Labels',
      'Serial formats',
    ]);

    await page.goto(`${server.url}/parts`);
    await page.getByRole('link', { name: /STM32G431CBU6 microcontroller/ }).waitFor();
    expect(await page.getByRole('link', { name: 'New part' }).count()).toBe(0);
    await page.goto(`${server.url}/receive`);
    await expectText(page.getByRole('heading', { level: 1 }), 'Not for viewers');
    expect(await page.getByRole('button', { name: 'Receive' }).count()).toBe(0);
    await context.close();
  });

  it('fits the lot page on a phone screen without horizontal scrolling', async () => {
    const { context, page } = await newPage(PHONE);
    await session.logIn(`/c/${lot.code}`, page);
    await page.waitForURL(`${server.url}/c/${lot.code}`);
    await expectText(page.getByTestId('full-code'), lot.code);
    // On a phone the stock and its actions come first; the history is folded until opened.
    const history = page.getByRole('region', { name: 'History', exact: true });
    await page.getByRole('form', { name: 'Stock action' }).waitFor();
    expect(await history.locator('details').evaluate((d: HTMLDetailsElement) => d.open)).toBe(
      false,
    );
    await history.getByText('History', { exact: true }).click();
    await history.getByRole('list', { name: 'History' }).getByText('Moved').first().waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.qr')?.complete);
    expect(
      await page.locator('img.qr').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBeGreaterThan(0);

    const size = await horizontalOverflow(page);
    expect(size.client).toBe(390);
    expect(size.scroll).toBeLessThanOrEqual(size.client);

    // The short code and the scan box are on screen, not pushed off to the side.
    const short = await page.getByTestId('short-code').boundingBox();
    const box = await page.getByLabel('Scan or type a code', { exact: true }).boundingBox();
    for (const rect of [short, box]) {
      expect(rect).not.toBeNull();
      expect(rect!.x).toBeGreaterThanOrEqual(0);
      expect(rect!.x + rect!.width).toBeLessThanOrEqual(390);
    }
    await context.close();
  });

  it('scans on a phone and fits the other pages too', async () => {
    const { context, page } = await newPage(PHONE);
    await session.logIn(`/parts`, page);
    await page.getByRole('link', { name: /STM32G431CBU6 microcontroller/ }).waitFor();
    expect((await horizontalOverflow(page)).scroll).toBeLessThanOrEqual(390);

    await scan(page, lot.shortCode);
    await page.waitForURL(`${server.url}/c/${lot.code}`);
    await expectText(page.getByTestId('short-code'), lot.shortCode);

    await scan(page, 'ffffffff');
    await page.getByTestId('scan-result').getByRole('alert').waitFor();
    expect((await horizontalOverflow(page)).scroll).toBeLessThanOrEqual(390);

    for (const path of ['/receive', '/locations', '/parts/new']) {
      await page.goto(server.url + path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const size = await horizontalOverflow(page);
      expect(size.scroll, path).toBeLessThanOrEqual(size.client);
    }
    await context.close();
  });
});
