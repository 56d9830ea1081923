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

  it('opens a record: its change from → to, its stock entries, its objects, and the hash the list shows', async () => {
    await page.goto(`${session.server.url}/audit?object=${part.code}`);
    await expect.poll(() => rows().count()).toBe(2);
    const updated = rows().filter({ hasText: 'updated' });
    const listedHash = await updated.locator('code[title]').getAttribute('title');
    await updated.getByRole('link').click();
    await expectText(page.getByRole('heading', { level: 1 }), /^Change record #\d+: updated$/);
    await expectText(page.getByRole('region', { name: 'Changes' }), /Description: \(empty\) → LDO/);
    const hash = page.locator('.field-row').filter({ hasText: /^Hash/ }).locator('dd');
    expect(await hash.innerText()).toBe(listedHash);
    await page
      .getByRole('region', { name: 'Objects' })
      .getByRole('link', { name: part.code })
      .click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Audited regulator');

    const location = await session.admin.call('POST', '/api/v1/locations', { name: 'Audit shelf' });
    const note = 'Bag of \u201cregulators\u201d';
    const received = await session.admin.call('POST', '/api/v1/stock/receive', {
      items: [{ part: part.code, location: location.code, quantity: 250, note }],
    });
    const lot = received.lots[0].code as string;
    await page.goto(`${session.server.url}/audit?object=${lot}`);
    await expect.poll(() => rows().count()).toBe(1);
    await rows().getByRole('link').click();
    await expectText(page.getByRole('heading', { level: 1 }), /: received$/);
    await expectText(page.getByRole('region', { name: 'Changes' }), /No events: its stock ledger/);
    const entry = page.getByRole('region', { name: 'Stock ledger entries' }).locator('tbody tr');
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.locator('td').allInnerTexts()).toEqual([
      'received',
      lot.slice(0, 8),
      part.code.slice(0, 8),
      location.code.slice(0, 8),
      'on hand',
      '250',
      '—',
      note,
    ]);
  });

  it('says which record was not found', async () => {
    await page.goto(`${session.server.url}/audit/0000000000000000000000000`);
    await expectText(page.getByRole('alert'), /not found/);
  });
});
