import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: the users page', () => {
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
    // Resetting, disabling and revoking ask first: the admin says yes.
    page.on('dialog', (dialog) => void dialog.accept());
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

  const loginStatus = async (username: string, password: string) =>
    (
      await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      })
    ).status;
  const shownPassword = async () => {
    const card = page.getByRole('status', { name: 'New password' });
    const password = await card.locator('.secret').innerText();
    await card.getByRole('button', { name: 'Done' }).click();
    return password;
  };

  it('adds a user with a password shown once, changes the role, resets the password, disables and enables', async () => {
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Username').fill('sam');
    await form.getByLabel('Role').selectOption('editor');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expectText(page.getByRole('status', { name: 'New password' }), /new user sam,/);
    const first = await shownPassword();
    expect(first).toMatch(/^[0-9a-z]{20}$/);
    const sam = await server.login('sam', first);
    expect(await sam.call('GET', '/api/v1/auth/me')).toMatchObject({ name: 'sam', role: 'editor' });

    const row = page.getByRole('row').filter({ hasText: 'sam' });
    await row.getByLabel('Role of sam').selectOption('viewer');
    await expect.poll(async () => (await sam.call('GET', '/api/v1/auth/me')).role).toBe('viewer');

    await row.getByRole('button', { name: 'Reset the password of sam' }).click();
    await expectText(page.getByRole('status', { name: 'New password' }), /New password of sam,/);
    const second = await shownPassword();
    expect(second).not.toBe(first);
    expect(await loginStatus('sam', first)).toBe(401);
    expect(await loginStatus('sam', second)).toBe(200);

    await row.getByRole('button', { name: 'Disable sam' }).click();
    await expectText(row.getByRole('cell').nth(4), 'disabled');
    expect(await loginStatus('sam', second)).toBe(401);
    await row.getByRole('button', { name: 'Enable sam' }).click();
    await expectText(row.getByRole('cell').nth(4), 'active');
    expect(await loginStatus('sam', second)).toBe(200);

    // The admin's own row offers no Disable; the last admin cannot give up the role.
    const own = page.getByRole('row').filter({
      has: page.getByRole('cell', { name: server.admin.username, exact: true }),
    });
    expect(await own.getByRole('button', { name: /^Disable/ }).count()).toBe(0);
    await own.getByLabel(`Role of ${server.admin.username}`).selectOption('viewer');
    await expectText(page.getByRole('alert'), /last admin/);
    await expect
      .poll(() => own.getByLabel(`Role of ${server.admin.username}`).inputValue())
      .toBe('admin');
  });

  it('makes an API key shown once, which then answers as its name; revoked, it is refused', async () => {
    const section = page.getByRole('region', { name: 'API keys' });
    await expectText(section.locator('.empty'), 'No API keys yet.');
    const form = section.getByRole('form', { name: 'Make an API key' });
    await form.getByLabel('Name').fill('test-station-3');
    await form.getByLabel('Role').selectOption('editor');
    await form.getByRole('button', { name: 'Make key' }).click();
    const card = section.getByRole('status', { name: 'New API key' });
    const key = await card.locator('.secret').innerText();
    expect(key).toMatch(/^tl_/);
    const me = async () =>
      fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(await (await me()).json()).toMatchObject({ name: 'key:test-station-3', role: 'editor' });
    await card.getByRole('button', { name: 'I have kept it' }).click();
    expect(await section.getByRole('status', { name: 'New API key' }).count()).toBe(0);

    const row = section.getByRole('row').filter({ hasText: 'test-station-3' });
    await expectText(row.getByRole('cell').nth(3), 'active');
    await row.getByRole('button', { name: 'Revoke test-station-3' }).click();
    await expectText(row.getByRole('cell').nth(3), /^revoked /);
    expect((await me()).status).toBe(401);
  });

  it('refuses a username with a space, naming the field, and adds no one', async () => {
    const before = (await admin.call('GET', '/api/v1/users')).items.length;
    const form = page.getByRole('form', { name: 'Add a user' });
    await form.getByLabel('Username').fill('no one');
    await form.getByRole('button', { name: 'Add user' }).click();
    await expectText(form.getByRole('alert'), /letters, digits/);
    expect((await admin.call('GET', '/api/v1/users')).items.length).toBe(before);
  });
});
