import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * An admin makes finishing a build require a signature on the settings page; the finish dialog
 * then asks for the password and the meaning, refuses a wrong password in the dialog, and the
 * signed finish shows in the build's timeline as "Signed by …".
 */
describeInBrowser('web UI: electronic signatures', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let admin: ApiSession;
  let build = '';

  beforeAll(async () => {
    session = await openSession();
    ({ server, page, admin } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 1' })).code;
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Infusion pump' });
    build = (
      await admin.call('POST', '/api/v1/builds', { project: project.code, quantity: 2, location })
    ).code;
    await session.logIn('/settings/signatures');
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('configures the requirement, refuses a wrong password, signs the finish', async () => {
    const settings = page.getByRole('form', { name: 'Signature settings' });
    await settings.getByLabel('Require a signature to finish a build').check();
    await settings.getByRole('button', { name: 'Save' }).click();
    // Saved: the page shows since when it is required.
    await expectText(settings.getByText(/\(since /), /since/);
    const configured = await admin.call('GET', '/api/v1/settings/signatures');
    const required = configured.operations.filter((o: { required: boolean }) => o.required);
    expect(required.map((o: { operation: string }) => o.operation)).toEqual(['build_finished']);

    await page.goto(`${server.url}/c/${build}`);
    const form = page.getByRole('form', { name: 'Finish the build' });
    const signature = form.getByRole('group', { name: 'Electronic signature' });
    await expectText(
      signature.getByTestId('signature-manifestation'),
      /I, by entering my password, sign that I approve this change: finish a build/,
    );
    await signature.getByLabel('Your password').fill('not the password');
    await form.getByRole('button', { name: 'Finish build' }).click();
    await expectText(form.getByRole('alert'), /^Signature password: wrong password/);
    expect((await admin.call('GET', `/api/v1/builds/${build}`)).status).toBe('in_progress');

    await signature.getByText('I performed').click();
    await signature.getByLabel('Your password').fill(server.admin.password);
    await form.getByRole('button', { name: 'Finish build' }).click();
    await expectText(
      page.getByTestId('timeline-signed'),
      new RegExp(`Signed by ${server.admin.username} — performed — `),
    );
    expect((await admin.call('GET', `/api/v1/builds/${build}`)).status).toBe('finished');
    const history = await admin.call('GET', `/api/v1/lots/${build}/history`);
    expect(history.items.filter((i: { type: string }) => i.type === 'signed')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ name: server.admin.username }),
        data: expect.objectContaining({ meaning: 'performed', operation: 'build_finished' }),
      }),
    ]);
  });

  it('the release of a repaired unit and a recall hold ask for the signature in their dialogs', async () => {
    await admin.call('PUT', '/api/v1/settings/signatures', {
      require: ['released', 'recall_held'],
    });
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Repair bench' })).code;
    const part = (await admin.call('POST', '/api/v1/parts', { name: 'Pump motor' })).code;
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Syringe driver' });
    await admin.call('PUT', `/api/v1/projects/${project.code}/bom`, {
      entries: [{ part, quantity: 1 }],
    });
    const received = await admin.call('POST', '/api/v1/stock/receive', {
      items: [{ part, location, quantity: 1 }],
    });
    const reel = received.lots[0].code as string;
    const build = await admin.call('POST', '/api/v1/builds', {
      project: project.code,
      quantity: 1,
      location,
      run: true,
    });
    const [unit] = (await admin.call('GET', `/api/v1/builds/${build.code}/units`)).items;
    await admin.call('POST', '/api/v1/shipments', {
      customer: 'Clinic',
      reference: 'SO-9',
      units: [unit.code],
    });
    await admin.call('POST', `/api/v1/units/${unit.code}/return`, { reason: 'noisy', location });
    await admin.call('POST', `/api/v1/units/${unit.code}/repair`, {});

    await page.goto(`${server.url}/c/${unit.code}`);
    await page.getByRole('button', { name: 'Release unit' }).click();
    const release = page.getByRole('form', { name: 'Release the unit' });
    const signature = release.getByRole('group', { name: 'Electronic signature' });
    await expectText(
      signature.getByTestId('signature-manifestation'),
      /sign that I approve this change: release a unit/,
    );
    await signature.getByLabel('Your password').fill(server.admin.password);
    await release.getByRole('button', { name: 'Release to stock' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'available again' }), /available/);
    expect((await admin.call('GET', `/api/v1/units/${unit.code}`)).state).toBe('available');

    await page.goto(`${server.url}/recall/${reel}`);
    await page.getByRole('button', { name: 'Hold all matching stock…' }).click();
    const hold = page.getByRole('form', { name: 'Hold all matching stock' });
    await hold.getByLabel('Note').fill('Supplier notice 7: motor bearings');
    const holdSignature = hold.getByRole('group', { name: 'Electronic signature' });
    await holdSignature.getByText('I reviewed').click();
    await holdSignature.getByLabel('Your password').fill(server.admin.password);
    await hold.getByRole('button', { name: 'Hold all' }).click();
    await expectText(page.getByTestId('hold-result'), /^Held 1 balance of 1 lot/);
    const signedOf = async (code: string) =>
      (await admin.call('GET', `/api/v1/lots/${code}/history`)).items
        .filter((i: { type: string }) => i.type === 'signed')
        .map((i: { data: { operation: string; meaning: string } }) => i.data);
    expect(await signedOf(unit.code)).toEqual([
      expect.objectContaining({ operation: 'released', meaning: 'approved' }),
    ]);
    expect(await signedOf(reel)).toEqual([
      expect.objectContaining({ operation: 'recall_held', meaning: 'reviewed' }),
    ]);
  });
});
