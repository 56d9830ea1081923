import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText, scan } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Lots are received in batches until two codes share their first four characters (19 random
 * bits: a few thousand lots make that practically certain), so a 4-character scan is ambiguous.
 */
async function receiveUntilPrefixShared(admin: ApiSession, part: string, location: string) {
  const byPrefix = new Map<string, string>();
  for (let batch = 0; batch < 10; batch++) {
    const items = Array.from({ length: 1000 }, () => ({ part, location, quantity: 1 }));
    const { lots } = await admin.call('POST', '/api/v1/stock/receive', { items });
    for (const { code } of lots as { code: string }[]) {
      const prefix = code.slice(0, 4);
      const other = byPrefix.get(prefix);
      if (other) return { prefix, codes: [other, code] };
      byPrefix.set(prefix, code);
    }
  }
  throw new Error('no two of 10,000 lot codes share a 4-character prefix: is the code random?');
}

describeInBrowser('web UI: the scan box', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let shared: { prefix: string; codes: string[] };
  let location: { code: string; name: string };

  beforeAll(async () => {
    session = await openSession();
    ({ server, page } = session);
    const { admin } = session;
    const part = await admin.call('POST', '/api/v1/parts', { name: 'Test point' });
    location = await admin.call('POST', '/api/v1/locations', { name: 'Bin 7' });
    shared = await receiveUntilPrefixShared(admin, part.code, location.code);
    await session.logIn(`/parts`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('lists every object an ambiguous prefix matches, as links', async () => {
    await scan(page, shared.prefix);
    const result = page.getByTestId('scan-result');
    await expectText(
      result.getByRole('alert'),
      new RegExp(`'${shared.prefix}' matches \\d+ objects`),
    );
    const links = result.getByRole('list', { name: 'Matching objects' }).getByRole('link');
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const code of shared.codes) expect(hrefs).toContain(`/c/${code}`);
    for (const href of hrefs) expect(href).toMatch(new RegExp(`^/c/${shared.prefix}`));
    expect(new URL(page.url()).pathname).toBe('/parts');
  });

  it('opens the candidate that is picked', async () => {
    const target = shared.codes[1]!;
    await page
      .getByTestId('scan-result')
      .getByRole('link', { name: new RegExp(target) })
      .click();
    await page.waitForURL(`${server.url}/c/${target}`);
    await expectText(page.getByTestId('full-code'), target);
    expect(await page.getByTestId('scan-result').count()).toBe(0);
  });

  it('shows the candidates on a /c/<prefix> page too', async () => {
    await page.goto(`${server.url}/c/${shared.prefix}`);
    await expectText(page.getByRole('heading', { level: 1 }), 'Which one?');
    const links = page.getByRole('main').getByRole('list', { name: 'Matching objects' });
    for (const code of shared.codes)
      await links.getByRole('link', { name: new RegExp(code) }).waitFor();
  });

  it('says which code or prefix was not found', async () => {
    await scan(page, 'ffffffff');
    const alert = page.getByTestId('scan-result').getByRole('alert');
    // The server's message names what was not found; its wording is the server's to choose.
    await expectText(alert, /'ffffffff'/);
    await scan(page, '00000000000000000000000000');
    await expectText(alert, /'00000000000000000000000000'/);
    expect(await page.getByTestId('scan-result').getByRole('link').count()).toBe(0);
  });

  it('explains text that cannot be a code', async () => {
    await scan(page, 'hello!');
    const alert = page.getByTestId('scan-result').getByRole('alert');
    await expectText(alert, /not recognised: 'hello!'/);
    await scan(page, 'ab');
    await expectText(alert, /not recognised: 'ab'/);
    await page.getByLabel('Scan or type a code', { exact: true }).press('Escape');
    expect(await page.getByTestId('scan-result').count()).toBe(0);
  });

  it('opens a location from a scanned label URL', async () => {
    await scan(page, `https://labels.example.com/c/${location.code.toUpperCase()}`);
    await page.waitForURL(`${server.url}/c/${location.code}`);
    await expectText(page.getByRole('heading', { level: 1 }), 'Bin 7');
    await expectText(page.getByText('Storage location', { exact: true }), 'Storage location');
  });
});
