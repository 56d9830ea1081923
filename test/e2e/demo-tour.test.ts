import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { objectUrl } from '../../src/domain/object-url.js';
import { CODE_IN_URL, describeInBrowser, E2E_TIMEOUT } from './support/browser.js';
import { openSession, type E2eSession } from './support/session.js';

/** Opens a page directly and waits until it shows its heading with nothing still loading. */
async function timeToContent(page: Page, path: string): Promise<number> {
  const started = performance.now();
  await page.goto(path);
  await page.waitForFunction(
    () => document.querySelector('h1') !== null && document.querySelector('.loading') === null,
  );
  return performance.now() - started;
}

describeInBrowser('web UI: the demo company and a tour of every page', () => {
  let session: E2eSession;
  let page: Page;

  beforeAll(async () => {
    session = await openSession();
    page = session.page;
    await session.logIn('/parts');
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('an empty instance offers the demo; loading it opens the build in progress', async () => {
    await page.getByText('No parts yet').waitFor();
    await page.getByRole('button', { name: 'Load demo data' }).click();
    await page.waitForURL(CODE_IN_URL, { timeout: 60_000 });
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Sensor node');
    expect(await page.locator('body').innerText()).toMatch(/in progress/i);
  }, 90_000);

  it('every page opens on the demo data without an error (time to content reported)', async () => {
    const call = session.admin.call;
    const builds = (await call('GET', '/api/v1/builds')).items as { code: string }[];
    const projects = (await call('GET', '/api/v1/projects')).items as { code: string }[];
    const [shipment] = (await call('GET', '/api/v1/shipments')).items as { code: string }[];
    const shipped = await call('GET', `/api/v1/shipments/${shipment!.code}`);
    const unit = shipped.units[0].code as string;
    const [mcu] = (await call('GET', '/api/v1/parts?q=STM32G031K8T6')).items as { code: string }[];
    const [reel] = (await call('GET', `/api/v1/stock?part=${mcu!.code}`)).items as {
      lot: { code: string };
    }[];
    const [location] = (await call('GET', '/api/v1/locations')).items as { code: string }[];
    expect(builds).toHaveLength(3);

    const pages = [
      '/parts',
      '/parts/new',
      '/locations',
      '/receive',
      '/projects',
      '/projects/new',
      '/builds',
      '/builds/new',
      '/shipments',
      '/shipments/new',
      '/scan',
      '/labels',
      '/serial-formats',
      '/users',
      '/audit',
      '/settings/signatures',
      objectUrl('', mcu!.code),
      objectUrl('', location!.code),
      objectUrl('', reel!.lot.code),
      objectUrl('', unit),
      objectUrl('', shipment!.code),
      ...projects.map((p) => objectUrl('', p.code)),
      ...builds.map((b) => objectUrl('', b.code)),
      `/recall/${reel!.lot.code}`,
    ];
    const times: { page: string; ms: number }[] = [];
    for (const path of pages) {
      const ms = await timeToContent(page, `${session.server.url}${path}`);
      expect(await page.getByRole('alert').count(), `an error on ${path}`).toBe(0);
      times.push({ page: path, ms: Math.round(ms) });
    }
    // A report, not an assertion: machines here are noisy.
    const slowest = [...times].sort((a, b) => b.ms - a.ms);
    console.log(
      `demo tour: ${times.length} pages, time to content median ${slowest[Math.floor(slowest.length / 2)]!.ms} ms, slowest ${slowest
        .slice(0, 3)
        .map((t) => `${t.page} ${t.ms} ms`)
        .join(', ')}`,
    );
  }, 180_000);
});
