import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: the audit page', () => {
  let session: E2eSession;
  let page: Page;
  let part: { code: string };

  beforeAll(async () => {
    session = await openSession();
    page = session.page;
    part = await session.admin.call('POST', '/api/v1/parts', { name: 'Audited regulator' });
    await session.admin.call('PATCH', `/api/v1/parts/${part.code}`, { description: 'LDO' });
    await session.logIn('/audit');
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const rows = () => page.getByRole('table').locator('tbody tr');

  it('lists the change records newest first, filters by object and operation, and verifies', async () => {
    await expectText(rows().first(), /updated/);
    await page.getByLabel('Object code').fill(part.code);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rows().nth(0).innerText()).toContain('updated');
    expect(await rows().nth(1).innerText()).toContain('created');
    expect(new URL(page.url()).searchParams.get('object')).toBe(part.code);

    await page.getByLabel('Operation').fill('created');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows().count()).toBe(1);

    await page.getByRole('button', { name: 'Verify the change log' }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'Verified' }),
      /^Verified: \d+ records/,
    );
  });
});
