import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Approving a BOM revision and releasing a recall hold, each signed in its dialog when an admin
 * requires it: the project page says who approved the revision (signed), the build page that
 * its revision was approved, and the recall page shows the hold released.
 */
describeInBrowser('web UI: BOM approval and recall release, signed', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let admin: ApiSession;
  let project = '';
  let build = '';
  let reel = '';

  beforeAll(async () => {
    session = await openSession();
    ({ server, page, admin } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 1' })).code;
    const part = (await admin.call('POST', '/api/v1/parts', { name: 'Valve seal' })).code;
    project = (await admin.call('POST', '/api/v1/projects', { name: 'Infusion pump' })).code;
    await admin.call('PUT', `/api/v1/projects/${project}/bom`, {
      entries: [{ part, quantity: 1 }],
    });
    reel = (
      await admin.call('POST', '/api/v1/stock/receive', {
        items: [{ part, location, quantity: 5 }],
      })
    ).lots[0].code;
    build = (await admin.call('POST', '/api/v1/builds', { project, quantity: 1, location })).code;
    await admin.call('POST', `/api/v1/recall/${reel}/hold`, { note: 'Supplier notice 9' });
    await admin.call('PUT', '/api/v1/settings/signatures', {
      require: ['bom_approved', 'recall_released'],
    });
    await session.logIn(`/c/${project}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('approves the BOM revision in a signed dialog; the project and the build show it', async () => {
    await expectText(page.getByTestId('bom-approval'), /^Revision 1 — not approved/);
    await page.getByRole('button', { name: 'Approve…' }).click();
    const form = page.getByRole('form', { name: 'Approve the BOM revision' });
    const signature = form.getByRole('group', { name: 'Electronic signature' });
    await expectText(
      signature.getByTestId('signature-manifestation'),
      /sign that I approve this change: approve a revision of a project’s BOM/,
    );
    await form.getByLabel('Note').fill('ECO-12');
    await signature.getByLabel('Your password').fill('not the password');
    await form.getByRole('button', { name: 'Approve' }).click();
    await expectText(form.getByRole('alert'), /^Signature password: wrong password/);
    expect((await admin.call('GET', `/api/v1/projects/${project}/bom`)).approval).toBe(null);

    await signature.getByLabel('Your password').fill(server.admin.password);
    await form.getByRole('button', { name: 'Approve' }).click();
    await expectText(
      page.getByTestId('bom-approval'),
      new RegExp(
        `^Revision 1 — approved by ${server.admin.username} on .+ \\(signed: approved\\) · ECO-12`,
      ),
    );
    expect(await page.getByRole('button', { name: 'Approve…' }).count()).toBe(0);

    await page.goto(`${server.url}/c/${build}`);
    await expectText(
      page.getByTestId('bom-approval'),
      new RegExp(`^approved by ${server.admin.username} on .+ \\(signed: approved\\)`),
    );
  });

  it('releases the recall hold in a signed dialog', async () => {
    await page.goto(`${server.url}/recall/${reel}`);
    const hold = page.getByTestId('recall-hold');
    await expectText(hold.getByTestId('recall-hold-release'), /^Still held/);
    await hold.getByRole('button', { name: 'Release…' }).click();
    const form = page.getByRole('form', { name: 'Release the hold' });
    await form.getByLabel('Note').fill('Supplier cleared the lot');
    const signature = form.getByRole('group', { name: 'Electronic signature' });
    await signature.getByText('I reviewed').click();
    await signature.getByLabel('Your password').fill(server.admin.password);
    await form.getByRole('button', { name: 'Release' }).click();
    await expectText(
      hold.getByTestId('recall-hold-release'),
      new RegExp(
        `^Released by ${server.admin.username} on .+ \\(signed: reviewed\\): 1 balance back, 0 skipped`,
      ),
    );
    const lot = await admin.call('GET', `/api/v1/lots/${reel}`);
    expect(lot.balances.map((b: { status: string }) => b.status)).toEqual(['on_hand']);
  });
});
