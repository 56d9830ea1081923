import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Archiving a customer serial format on the serial formats page: it leaves the list of formats
 * in use, gives no more serials, shows under "Archived", and can be restored.
 */
describeInBrowser('web UI: archiving a serial format', () => {
  let session: E2eSession;
  let page: Page;
  let admin: ApiSession;
  let format = '';
  let build = '';

  beforeAll(async () => {
    session = await openSession();
    ({ page, admin } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 1' })).code;
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Meter' });
    build = (
      await admin.call('POST', '/api/v1/builds', { project: project.code, quantity: 1, location })
    ).code;
    format = (
      await admin.call('POST', '/api/v1/serial-formats', { name: 'Acme', pattern: 'AC-{SEQ:4}' })
    ).code;
    await admin.call('POST', '/api/v1/serial-formats', { name: 'Globex', pattern: 'GX{SEQ:6}' });
    await session.logIn(`/serial-formats`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const rows = () => page.getByRole('table', { name: 'Serial formats' }).locator('tbody tr');
  const names = () => rows().locator('td[data-label="Name"]').allTextContents();

  it('archives a format: gone from the formats in use, refused for new serials', async () => {
    await expect.poll(names).toEqual(['Acme', 'Globex']);
    await page.getByRole('button', { name: 'Archive Acme', exact: true }).click();
    await expectText(page.getByRole('status'), 'Archived Acme: it gives no more serials.');
    await expect.poll(names).toEqual(['Globex']);
    expect(await admin.call('GET', `/api/v1/serial-formats/${format}`)).toMatchObject({
      archived: true,
    });
    await expect(
      admin.call('POST', `/api/v1/serial-formats/${format}/assign`, { build }),
    ).rejects.toThrow(/archived/);
  });

  it('lists archived formats on their own, and restores one', async () => {
    await page
      .getByRole('radiogroup', { name: 'Show formats' })
      .getByText('Archived', { exact: true })
      .click();
    await expect.poll(names).toEqual(['Acmearchived']);
    // The choice is in the URL: a reload or a shared link shows the same list.
    expect(new URL(page.url()).searchParams.get('archived')).toBe('true');
    await page.reload();
    await expect.poll(names).toEqual(['Acmearchived']);
    await page.getByRole('button', { name: 'Restore Acme', exact: true }).click();
    await expectText(page.getByRole('status'), 'Restored Acme.');
    await expectText(page.locator('p.empty'), 'No archived serial formats.');
    await page
      .getByRole('radiogroup', { name: 'Show formats' })
      .getByText('All', { exact: true })
      .click();
    await expect.poll(names).toEqual(['Acme', 'Globex']);
    expect(await admin.call('GET', `/api/v1/serial-formats/${format}`)).toMatchObject({
      archived: false,
    });
  });
});
