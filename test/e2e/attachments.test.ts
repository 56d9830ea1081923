import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PDF, PNG } from '../support/attachment-files.js';
import {
  ACTION_TIMEOUT,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  logIn,
  PHONE,
  watchApi,
} from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Files on a lot page: a PNG chosen with the file input shows as a thumbnail, a PDF dropped
 * on the drop zone previews inline, a download gives the same bytes, and a removal with a
 * reason takes the file off the list and into the history.
 */
describeInBrowser('web UI: attachments', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;
  let lot = '';

  beforeAll(async () => {
    session = await openSession({ acceptDownloads: true });
    ({ server, browser, page, admin } = session);
    const part = await admin.call('POST', '/api/v1/parts', { name: 'Sensor board' });
    const location = await admin.call('POST', '/api/v1/locations', { name: 'Shelf A' });
    const received = await admin.call('POST', '/api/v1/stock/receive', {
      items: [{ part: part.code, location: location.code, quantity: 5 }],
    });
    lot = received.lots[0].code;
    await session.logIn(`/c/${lot}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const files = () => page.getByRole('region', { name: 'Files' });

  it('uploads a PNG with the file input and shows its thumbnail', async () => {
    await expectText(files().locator('.empty'), /^No files yet\./);
    await files()
      .getByLabel('Add files', { exact: true })
      .setInputFiles({ name: 'board.png', mimeType: 'image/png', buffer: PNG });
    await expectText(files().getByRole('status'), 'Added board.png.');
    const thumb = files().getByRole('img', { name: 'board.png' });
    await thumb.waitFor();
    // Loaded and decoded: the browser shows the real image, not a broken one.
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(1);
  });

  it('uploads a PDF dropped on the drop zone and previews it', async () => {
    await files()
      .getByTestId('drop-zone')
      .evaluate(
        (zone, bytes) => {
          const transfer = new DataTransfer();
          transfer.items.add(
            new File([new Uint8Array(bytes)], 'manual.pdf', { type: 'application/pdf' }),
          );
          zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true }));
          zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
        },
        [...PDF],
      );
    await expectText(files().getByRole('status'), 'Added manual.pdf.');
    const item = files().getByRole('listitem', { name: 'manual.pdf' });
    await item.getByRole('button', { name: 'Preview manual.pdf' }).click();
    const preview = item.locator('iframe[title="Preview of manual.pdf"]');
    await preview.waitFor();
    const src = await preview.getAttribute('src');
    expect(src).toMatch(/^\/api\/v1\/attachments\/\w{26}\/content$/);
    const served = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return {
        type: res.headers.get('content-type'),
        disposition: res.headers.get('content-disposition'),
        size: (await res.arrayBuffer()).byteLength,
      };
    }, src!);
    expect(served).toEqual({
      type: 'application/pdf',
      disposition: `inline; filename="manual.pdf"; filename*=UTF-8''manual.pdf`,
      size: PDF.length,
    });
    await item.getByRole('button', { name: 'Hide preview manual.pdf' }).click();
    await preview.waitFor({ state: 'detached' });
    expect(
      await files()
        .getByRole('listitem')
        .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label'))),
    ).toEqual(['board.png', 'manual.pdf']);
  });

  it('downloads the same bytes', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      files().getByRole('link', { name: 'Download board.png' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('board.png');
    expect((await readFile((await download.path())!)).equals(PNG)).toBe(true);
  });

  it('removes a file with a reason: gone from the list, kept in the history', async () => {
    const item = files().getByRole('listitem', { name: 'board.png' });
    await item.getByRole('button', { name: 'Remove board.png' }).click();
    const form = item.getByRole('form', { name: 'Remove board.png' });
    await form.getByLabel('Reason', { exact: true }).fill('blurry photo');
    await form.getByRole('button', { name: 'Remove file' }).click();
    await expectText(files().getByRole('status'), 'Removed board.png.');
    await item.waitFor({ state: 'detached' });
    expect(
      await files()
        .getByRole('listitem')
        .evaluateAll((items) => items.map((i) => i.getAttribute('aria-label'))),
    ).toEqual(['manual.pdf']);
    const history = page.getByRole('list', { name: 'History' });
    const removed = history.getByRole('listitem').filter({ hasText: 'File removed' });
    await removed.waitFor();
    expect(await removed.textContent()).toContain('blurry photo');
    expect(await history.getByRole('listitem').filter({ hasText: 'File attached' }).count()).toBe(
      2,
    );
    // Kept for admins.
    const all = await admin.call('GET', `/api/v1/attachments?subject=${lot}&removed=true`);
    expect(all.items.map((a: { fileName: string }) => a.fileName)).toEqual([
      'board.png',
      'manual.pdf',
    ]);
    expect(all.items[0].removed.reason).toBe('blurry photo');
  });

  it("opens the page of a file's object when its code is scanned", async () => {
    const { items } = await admin.call('GET', `/api/v1/attachments?subject=${lot}`);
    await page.goto(`${server.url}/c/${items[0].shortCode}`);
    await page.waitForURL(`${server.url}/c/${lot}`);
    await files().getByRole('listitem', { name: 'manual.pdf' }).waitFor();
  });

  it('fits a phone and offers the camera', async () => {
    const phone = await (await browser.newContext(PHONE)).newPage();
    phone.setDefaultTimeout(ACTION_TIMEOUT);
    const api = watchApi(phone);
    await phone.goto(`${server.url}/c/${lot}`);
    await phone.waitForURL(/\/login\?next=/);
    await logIn(phone, server.admin.username, server.admin.password);
    const region = phone.getByRole('region', { name: 'Files' });
    await region.getByRole('listitem', { name: 'manual.pdf' }).waitFor();
    const camera = region.getByLabel('Take a photo', { exact: true });
    expect(await camera.getAttribute('capture')).toBe('environment');
    expect(await camera.getAttribute('accept')).toBe('image/*');
    await region.getByRole('button', { name: 'Preview manual.pdf' }).click();
    await region.locator('iframe').waitFor();
    const { scroll, client } = await horizontalOverflow(phone);
    expect(scroll).toBeLessThanOrEqual(client);

    // The session ends while the page is open: an upload then asks the user to log in again.
    // The sections' requests finish first: a late one would itself send the page to log in.
    await region.getByRole('button', { name: 'Hide preview manual.pdf' }).click();
    await region.locator('iframe').waitFor({ state: 'detached' });
    await api.settled();
    await phone.context().clearCookies();
    await region
      .getByLabel('Add files', { exact: true })
      .setInputFiles({ name: 'late.png', mimeType: 'image/png', buffer: PNG });
    await phone.waitForURL(/\/login\?next=/);
    expect(new URL(phone.url()).searchParams.get('next')).toBe(`/c/${lot}`);
    await phone.context().close();
  });
});
