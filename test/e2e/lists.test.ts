import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: lists page through their items', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let location: { code: string };
  let admin: ApiSession;
  let firstPart: { code: string };

  beforeAll(async () => {
    session = await openSession();
    ({ server, page, admin } = session);
    const parts: { code: string }[] = [];
    for (let i = 1; i <= 30; i++) {
      const name = `Capacitor ${String(i).padStart(2, '0')}`;
      parts.push(await admin.call('POST', '/api/v1/parts', { name, mpn: `C-${i}` }));
    }
    firstPart = parts[0]!;
    location = await admin.call('POST', '/api/v1/locations', { name: 'Reel rack' });
    await admin.call('POST', '/api/v1/stock/receive', {
      items: Array.from({ length: 60 }, (_, i) => ({
        part: parts[i % parts.length]!.code,
        location: location.code,
        quantity: i + 1,
      })),
    });
    await session.logIn(`/parts`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const pager = () => page.getByRole('navigation', { name: 'Pages' });
  const partRows = () => page.getByRole('table').locator('tbody tr');

  it('shows the parts a page at a time, with the page in the URL', async () => {
    await expectText(pager().locator('.pager-range'), '1–25 of 30');
    expect(await partRows().count()).toBe(25);
    expect(await pager().getByRole('button', { name: '← Previous' }).isDisabled()).toBe(true);

    await pager().getByRole('button', { name: 'Next →' }).click();
    await expectText(pager().locator('.pager-range'), '26–30 of 30');
    expect(await partRows().count()).toBe(5);
    expect(new URL(page.url()).searchParams.get('offset')).toBe('25');
    expect(await pager().getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);

    await page.goBack();
    await expectText(pager().locator('.pager-range'), '1–25 of 30');
  });

  it('starts a search on its first page', async () => {
    await pager().getByRole('button', { name: 'Next →' }).click();
    await expectText(pager().locator('.pager-range'), '26–30 of 30');
    await page.getByLabel('Search parts', { exact: true }).fill('Capacitor 07');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => partRows().count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('offset')).toBeNull();
    expect(await pager().count()).toBe(0);
  });

  it('pages through the stock of a location', async () => {
    await page.goto(`${server.url}/c/${location.code}`);
    await expectText(pager().locator('.pager-range'), '1–50 of 60');
    await pager().getByRole('button', { name: 'Next →' }).click();
    await expectText(pager().locator('.pager-range'), '51–60 of 60');
    expect(await page.getByRole('table').locator('tbody tr').count()).toBe(10);
  });

  it('searches builds and filters them by status, both kept in the URL', async () => {
    const builds: { code: string; shortCode: string }[] = [];
    // Builds of two projects (made last: their products are parts too), one of them cancelled: for the build list's search and filter.
    for (const name of ['Sensor hub', 'Relay board']) {
      const project = await admin.call('POST', '/api/v1/projects', { name });
      await admin.call('PUT', `/api/v1/projects/${project.code}/bom`, {
        entries: [{ part: firstPart.code, quantity: 1 }],
      });
      for (let i = 0; i < 2; i++) {
        builds.push(
          await admin.call('POST', '/api/v1/builds', {
            project: project.code,
            quantity: 1,
            location: location.code,
          }),
        );
      }
    }
    await admin.call('POST', `/api/v1/builds/${builds[3]!.code}/cancel`, { reason: 'no order' });
    await page.goto(`${server.url}/builds`);
    const rows = page.getByRole('table', { name: 'Builds' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    await page.getByLabel('Search project, product, notes or code', { exact: true }).fill('relay');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByRole('radiogroup', { name: 'Status' }).getByText('Cancelled').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(builds[3]!.shortCode);
    const params = new URL(page.url()).searchParams;
    expect([params.get('q'), params.get('status')]).toEqual(['relay', 'cancelled']);

    await page.getByLabel('Search project, product, notes or code', { exact: true }).fill('sensor');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expectText(page.locator('.empty'), 'No cancelled build matches “sensor”.');
    await page.goBack();
    await expect.poll(() => rows.count()).toBe(1);
  });
});
