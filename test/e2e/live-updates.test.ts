import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ACTION_TIMEOUT,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  openLoggedIn,
} from './support/browser.js';
import type { ApiSession } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Live updates (docs/live-updates.md): two people in two browser sessions, one on a build page,
 * the other on one of its units; a test station records a result and the second person completes
 * a stage through the API — both pages show it without a reload.
 */
describeInBrowser('web UI: pages update when another user or a station changes them', () => {
  let session: E2eSession;
  let page: Page;
  let other: Page;
  let admin: ApiSession;
  let build = '';
  let units: { code: string; label: string }[] = [];
  let stationKey = '';
  const bob = { username: 'bob', password: 'bob-password-1' };

  beforeAll(async () => {
    session = await openSession();
    ({ page, admin } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Line 1' })).code;
    const screw = await admin.call('POST', '/api/v1/parts', { name: 'M2 screw' });
    await admin.call('POST', '/api/v1/stock/receive', {
      items: [{ part: screw.code, location, quantity: 100 }],
    });
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Flow sensor' });
    await admin.call('PUT', `/api/v1/projects/${project.code}/bom`, {
      entries: [{ part: screw.code, quantity: 2, designators: 'S1, S2' }],
    });
    await admin.call('POST', `/api/v1/parts/${project.part.code}/test-templates`, {
      key: 'ict',
      name: 'In-circuit test',
    });
    await admin.call('POST', '/api/v1/users', { ...bob, role: 'editor' });
    const station = { name: 'ICT station', role: 'editor' };
    stationKey = (await admin.call('POST', '/api/v1/api-keys', station)).key;
    const started = { project: project.code, quantity: 3, location };
    build = (await admin.call('POST', '/api/v1/builds', started)).code;
    units = (await admin.call('GET', `/api/v1/builds/${build}/units`)).items;

    await session.logIn(`/c/${build}`);
    other = await (await session.browser.newContext()).newPage();
    other.setDefaultTimeout(ACTION_TIMEOUT);
    await openLoggedIn(
      other,
      `${session.server.url}/c/${units[0]!.code}`,
      bob.username,
      bob.password,
    );
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('a station records a test: the build page and the unit page show it without a reload', async () => {
    const summary = page.getByRole('table', { name: 'Test summary' });
    await expectText(summary.getByTestId('pass-ict'), '0');
    await expectText(other.getByTestId('tests-passed'), 'Required tests not passed yet.');
    expect(await page.getByTestId('live-updated').count()).toBe(0);
    // Each page loads its document once: the updates below come without navigation.
    const loads = { page: 0, other: 0 };
    page.on('load', () => (loads.page += 1));
    other.on('load', () => (loads.other += 1));

    const res = await fetch(`${session.server.url}/api/v1/units/${units[0]!.code}/tests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stationKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'ict', result: 'pass' }),
    });
    expect(res.status).toBe(201);

    await expectText(summary.getByTestId('pass-ict'), '1');
    await expectText(summary.getByTestId('missing-ict'), '2');
    await expectText(page.getByTestId('live-updated'), /Updated .* by key:ICT station/);
    await expectText(other.getByTestId('tests-passed'), 'Every required test passed.');
    await expectText(other.getByTestId('live-updated'), /by key:ICT station/);
    expect(loads).toEqual({ page: 0, other: 0 });
  });

  it('another user completes a stage: the build page shows the progress', async () => {
    await expectText(page.getByTestId('stage-1'), /0 \/ 3 units/);
    const asBob = await session.server.login(bob.username, bob.password);
    await asBob.call('POST', `/api/v1/builds/${build}/stages/1/complete`, { units: [1, 2] });
    await expectText(page.getByTestId('stage-1'), /2 \/ 3 units/);
    await expectText(page.getByTestId('live-updated'), /by bob/);
    // Bob's own page of unit 1 reloads for his own change without saying it changed elsewhere:
    // its line still names the station's change.
    await expectText(other.getByTestId('live-updated'), /by key:ICT station/);
  });
});
