import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../support/ipp-printer.js';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import { buildThreeUnits } from './support/fixtures.js';
import type { ApiSession } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: printers, and Print to <printer> on the labels page', () => {
  let session: E2eSession;
  let page: Page;
  let admin: ApiSession;
  let unit = '';

  beforeAll(async () => {
    session = await openSession();
    ({ page, admin } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 1' })).code;
    unit = (await buildThreeUnits(admin, location)).units[0]!.code;
    await session.logIn('/parts');
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('adds a ZPL printer; a print to it fails while it is off, and Retry sends the label once it listens', async () => {
    const port = await freePort();
    await page.getByRole('link', { name: 'Printers', exact: true }).click();
    const form = page.getByRole('form', { name: 'Add a printer' });
    await form.getByLabel('Name').fill('Zebra');
    await form.getByLabel('Address').fill(`127.0.0.1:${port}`);
    await form.getByRole('button', { name: 'Add printer' }).click();
    await expectText(page.locator('table'), new RegExp(`ZebraZPL127\\.0\\.0\\.1:${port}203 dpi`));

    await page.goto(`${session.server.url}/labels?codes=${unit}`);
    await page.getByRole('button', { name: 'Print to Zebra' }).click();
    await expectText(
      page.getByTestId('print-job-status'),
      new RegExp(`^Failed on Zebra: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} Retry$`),
    );

    const received = new Promise<string>((resolve) => {
      const server = net.createServer((socket) => {
        const chunks: Buffer[] = [];
        socket.on('data', (c) => chunks.push(c));
        socket.on('end', () => {
          socket.end();
          server.close();
          resolve(Buffer.concat(chunks).toString('utf8'));
        });
      });
      server.listen(port, '127.0.0.1');
    });
    await new Promise((r) => setTimeout(r, 100));
    await page.getByRole('button', { name: 'Retry' }).click();
    await expectText(page.getByTestId('print-job-status'), 'Sent 1 label to Zebra');
    const zpl = await received;
    expect(zpl.match(/\^XA/g)).toHaveLength(1);
    expect(zpl).toContain(`/c/${unit}`);

    const jobs = await admin.call('GET', '/api/v1/print-jobs?status=sent');
    expect(jobs.items).toHaveLength(1);
    expect(jobs.items[0]).toMatchObject({ objects: [unit], attempts: 2 });
  });
});
