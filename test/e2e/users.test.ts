import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: the users page unlocks a locked user', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let admin: ApiSession;
  const pat = { username: 'pat', password: 'pat-password-1' };

  beforeAll(async () => {
    session = await openSession();
    ({ server, page, admin } = session);
    await admin.call('POST', '/api/v1/users', { ...pat, role: 'editor' });
    // Twenty failures take hours of waits to make: written as the server would have.
    const handle = openDatabase({ dataDir: server.dataDir });
    await handle.db
      .insertInto('login_throttle')
      .values({
        key: 'user:pat',
        failures: 20,
        last_failure_at: new Date().toISOString(),
        locked: 1,
      })
      .execute();
    await handle.close();
    await session.logIn(`/parts`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('shows pat locked with 20 failed logins; Unlock lets pat log in again', async () => {
    const locked = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pat),
    });
    expect(locked.status).toBe(429);

    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Users');
    const row = page.getByRole('row').filter({ hasText: 'pat' });
    await expectText(row.getByRole('cell').nth(3), '20');
    await expectText(row.getByRole('cell').nth(4), /locked/);
    await row.getByRole('button', { name: 'Unlock pat' }).click();
    await expectText(row.getByRole('cell').nth(4), 'active');
    await expectText(row.getByRole('cell').nth(3), '0');
    expect(await row.getByRole('button', { name: 'Unlock pat' }).count()).toBe(0);

    const session = await server.login(pat.username, pat.password);
    expect((await session.call('GET', '/api/v1/auth/me')).name).toBe('pat');
  });
});
