import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startReceiver, until, type WebhookReceiver } from '../support/webhook-receiver.js';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: the webhooks page', () => {
  let session: E2eSession;
  let page: Page;
  let admin: ApiSession;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    session = await openSession();
    ({ page, admin } = session);
    receiver = await startReceiver();
    await session.logIn('/parts');
  }, E2E_TIMEOUT);
  afterAll(async () => {
    await receiver?.close();
    await session?.close();
  });

  it('adds a webhook showing its secret once, sends a test event and shows the delivery', async () => {
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Webhooks');
    const form = page.getByRole('form', { name: 'Add a webhook' });
    await form.getByLabel('URL').fill(receiver.url);
    await form.getByLabel('unit.shipped').check();
    await form.getByLabel('test.failed').check();
    await form.getByRole('button', { name: 'Add webhook' }).click();
    const secretBox = page.getByRole('status', { name: 'New webhook secret' });
    await expectText(secretBox, /whsec_[0-9a-z]{32}/);
    const secret = (await secretBox.locator('.secret').textContent())!.trim();
    const [webhook] = (await admin.call('GET', '/api/v1/webhooks')).items;
    expect(webhook).toMatchObject({ url: receiver.url, events: ['unit.shipped', 'test.failed'] });
    expect(JSON.stringify(webhook)).not.toContain(secret);

    const table = page.getByRole('table', { name: 'Webhooks' });
    await expectText(table, /unit\.shipped, test\.failed\s*active/);
    await secretBox.getByRole('button', { name: 'I have kept it' }).click();
    await page.reload();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Send test event' }).click();
    await until(() => receiver.received.length === 1, 15_000);
    expect(receiver.received[0]!.json.type).toBe('ping');
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const log = page.getByRole('table', { name: 'Delivery log' });
    await until(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return /ping\s*delivered\s*1\s*200/.test((await log.textContent()) ?? '');
    }, 15_000);
    await expectText(log, /thanks/);
    await log
      .getByRole('button', { name: /^Replay delivery/ })
      .first()
      .click();
    await until(() => receiver.received.length === 2, 15_000);
    expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
  });
});
