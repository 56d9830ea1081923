import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * The actions that take a recorded reason: scrapping a unit and cancelling a build on the build
 * page, installing a sub-assembly unit by scanning its code and removing it on the unit page.
 */
describeInBrowser('web UI: scrap, cancel, install and remove', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let admin: ApiSession;
  let location = '';
  let module = { project: '', part: '' };
  let gateway = { project: '' };

  beforeAll(async () => {
    session = await openSession();
    ({ server, page, admin } = session);
    location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 2' })).code;
    const screw = await admin.call('POST', '/api/v1/parts', { name: 'M2 screw' });
    await admin.call('POST', '/api/v1/stock/receive', {
      items: [{ part: screw.code, location, quantity: 100 }],
    });
    const moduleProject = await admin.call('POST', '/api/v1/projects', { name: 'Radio module' });
    await admin.call('PUT', `/api/v1/projects/${moduleProject.code}/bom`, {
      entries: [{ part: screw.code, quantity: 2, designators: 'S1, S2' }],
    });
    module = { project: moduleProject.code, part: moduleProject.part.code };
    const top = await admin.call('POST', '/api/v1/projects', { name: 'Gateway' });
    await admin.call('PUT', `/api/v1/projects/${top.code}/bom`, {
      entries: [{ part: module.part, quantity: 1, designators: 'M1' }],
    });
    gateway = { project: top.code };
    await session.logIn(`/builds`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const unitsOf = async (build: string) =>
    (await admin.call('GET', `/api/v1/builds/${build}/units`)).items as {
      code: string;
      label: string;
      state: string;
    }[];

  it('scraps a unit with a reason, which its history keeps', async () => {
    const build = await admin.call('POST', '/api/v1/builds', {
      project: module.project,
      quantity: 3,
      location,
    });
    const [, second] = await unitsOf(build.code);
    await page.goto(`${server.url}/c/${build.code}`);
    await page.getByRole('button', { name: `Scrap ${second!.label}` }).click();
    const form = page.getByRole('form', { name: 'Scrap a unit' });
    await form.getByLabel('Reason', { exact: true }).fill('dropped on the floor');
    await form.getByRole('button', { name: `Scrap ${second!.label}` }).click();
    await expectText(page.getByRole('status'), `Scrapped ${second!.label}.`);
    await expectText(page.getByTestId('unit-counts'), /2 in production .* 1 scrapped/);
    expect((await unitsOf(build.code)).map((u) => u.state)).toEqual([
      'in_production',
      'scrapped',
      'in_production',
    ]);
    const history = await admin.call('GET', `/api/v1/lots/${second!.code}/history`);
    expect(JSON.stringify(history)).toContain('dropped on the floor');
  });

  it('keeps the note of a documentation-only stage completion and shows it in the timeline', async () => {
    const inspected = await admin.call('POST', '/api/v1/projects', { name: 'Inspected module' });
    await admin.call('PUT', `/api/v1/projects/${inspected.code}/bom`, {
      entries: [{ part: module.part, quantity: 1, designators: 'X1', dnp: true }],
    });
    const build = await admin.call('POST', '/api/v1/builds', {
      project: inspected.code,
      quantity: 2,
      location,
    });
    await page.goto(`${server.url}/c/${build.code}`);
    const form = page.getByRole('form', { name: 'Complete a stage' });
    await expectText(form, /This stage places no parts/);
    await form
      .getByLabel('Note', { exact: true })
      .fill('visual inspection passed, photos attached');
    await form.getByRole('button', { name: 'Complete stage 1' }).click();
    await expectText(page.getByRole('status'), 'Stage 1 completed for 2 units (1–2).');
    const step = page
      .getByRole('list', { name: 'Timeline' })
      .getByTestId('timeline-stage_completed');
    await expectText(step, /Stage 1 completed for 2 units \(1–2\): nothing consumed/);
    await expectText(step, /visual inspection passed, photos attached/);
    // Read back after a reload: stored, not only held by the form.
    await page.reload();
    await expectText(
      page.getByTestId('timeline-stage_completed'),
      /visual inspection passed, photos attached/,
    );
  });

  it('cancels a build that consumed nothing, with a reason', async () => {
    const build = await admin.call('POST', '/api/v1/builds', {
      project: module.project,
      quantity: 2,
      location,
    });
    await page.goto(`${server.url}/c/${build.code}`);
    await page.getByText('Cancel this build…').click();
    const form = page.getByRole('form', { name: 'Cancel the build' });
    await form.getByRole('button', { name: 'Cancel build' }).click();
    // The reason is required: the browser keeps the form from being sent without one.
    expect((await admin.call('GET', `/api/v1/builds/${build.code}`)).status).toBe('in_progress');
    await form.getByLabel('Reason', { exact: true }).fill('wrong revision');
    await form.getByRole('button', { name: 'Cancel build' }).click();
    await expectText(page.getByTestId('build-status'), 'Cancelled');
    const after = await admin.call('GET', `/api/v1/builds/${build.code}`);
    expect(after.status).toBe('cancelled');
    for (const unit of await unitsOf(build.code)) {
      expect((await admin.call('GET', `/api/v1/lots/${unit.code}`)).quantity).toBe(0);
    }
  });

  it('installs a module into a gateway by scanning its code, then removes it with a reason', async () => {
    const modules = await admin.call('POST', '/api/v1/builds', {
      project: module.project,
      quantity: 1,
      location,
      run: true,
    });
    const [radio] = await unitsOf(modules.code);
    const gateways = await admin.call('POST', '/api/v1/builds', {
      project: gateway.project,
      quantity: 1,
      location,
    });
    const [box] = await unitsOf(gateways.code);

    await page.goto(`${server.url}/c/${box!.code}`);
    await page.getByText('No units are installed in this one.').waitFor();
    const install = page.getByRole('form', { name: 'Install a unit' });
    // A scanner types the label's URL.
    await install
      .getByLabel('Unit to install', { exact: true })
      .fill(`https://labels.example/c/${radio!.code}`);
    await install.getByRole('button', { name: /Install/ }).click();
    await expectText(
      page.getByRole('status'),
      `Installed ${radio!.code.slice(0, 8)} into ${box!.label}.`,
    );
    // Ready for the next scan: the input is empty and has the focus.
    await page.waitForFunction(() => {
      const active = document.activeElement as HTMLInputElement | null;
      return active?.name === 'child' && active.value === '';
    });
    const installed = page.getByRole('table', { name: 'Installed units' });
    await installed.getByRole('link', { name: radio!.label }).waitFor();
    expect((await unitsOf(modules.code))[0]!.state).toBe('installed');

    // The module's own page says which unit it is in, and links there.
    await page.goto(`${server.url}/c/${radio!.code}`);
    const installedIn = page.locator('.field-row', { hasText: 'Installed in' }).locator('dd');
    await expectText(installedIn, box!.label);
    await installedIn.getByRole('link').click();
    await page.waitForURL(`${server.url}/c/${box!.code}`);

    await installed.getByRole('button', { name: `Remove ${radio!.label}` }).click();
    const remove = page.getByRole('form', { name: 'Remove a unit' });
    await remove.getByLabel('Reason', { exact: true }).fill('RF test failed, rework');
    await remove.getByRole('button', { name: `Remove ${radio!.label}` }).click();
    await expectText(page.getByRole('status'), `Removed ${radio!.label}.`);
    await page.getByText('No units are installed in this one.').waitFor();
    expect((await unitsOf(modules.code))[0]!.state).toBe('available');
  });
});
