import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: the sites page names this site', () => {
  let session: E2eSession;
  let page: Page;
  let admin: ApiSession;
  let location: { code: string };

  beforeAll(async () => {
    session = await openSession();
    ({ page, admin } = session);
    location = await admin.call('POST', '/api/v1/locations', { name: 'Dry cabinet' });
    await session.logIn('/parts');
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('shows the id and chain head, renames the site, and locations show it', async () => {
    const site = await admin.call('GET', '/api/v1/site');
    await page.getByRole('link', { name: 'Sites', exact: true }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Sites');
    const form = page.getByRole('form', { name: 'This site' });
    await expectText(form, new RegExp(`Id${site.id}.*Chain head${site.head.hash}`));
    await expectText(page.locator('.empty').first(), /No other site yet/);
    await expectText(
      page.getByRole('region', { name: 'Sync' }).locator('.empty'),
      /No site to sync with yet/,
    );
    await expectText(
      page.getByRole('region', { name: 'Conflicts' }).locator('.empty'),
      'No open conflicts.',
    );
    const name = form.getByLabel('Name of this site');
    expect(await name.inputValue()).toBe('local');
    await name.fill('Plant Berlin');
    await form.getByRole('button', { name: 'Rename' }).click();
    await expectText(form, new RegExp(`Change records${site.records + 1}Chain head`));
    expect((await admin.call('GET', '/api/v1/site')).name).toBe('Plant Berlin');

    await page.goto(`${session.server.url}/c/${location.code}`);
    await expectText(page.locator('.fields'), /Plant Berlin \(this site\)/);
  });
});
