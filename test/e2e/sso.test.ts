import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRoleMapping } from '../../src/domain/single-sign-on.js';
import {
  freePort,
  startOidcProvider,
  type TestAccount,
  type TestProvider,
} from '../support/oidc-provider.js';
import {
  ACTION_TIMEOUT,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  launchBrowser,
  logIn,
} from './support/browser.js';
import { startE2eServer, type E2eServer } from './support/server.js';

describeInBrowser('web UI: single sign-on through an OpenID provider', () => {
  let provider: TestProvider;
  let server: E2eServer;
  let browser: Browser;
  const ada: TestAccount = {
    sub: 'sub-ada',
    username: 'ada',
    password: 'ada-secret',
    email: 'ada@example.com',
    groups: ['tracelot-editors'],
  };
  const eve: TestAccount = {
    sub: 'sub-eve',
    username: 'eve',
    password: 'eve-secret',
    email: 'eve@example.com',
    groups: ['visitors'],
  };

  beforeAll(async () => {
    const port = await freePort();
    provider = await startOidcProvider({
      redirectUris: [`http://127.0.0.1:${port}/api/v1/auth/oidc/callback`],
      accounts: [ada, eve],
    });
    [server, browser] = await Promise.all([
      startE2eServer({
        port,
        oidc: {
          issuer: provider.issuer,
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          roleClaim: 'groups',
          roles: parseRoleMapping('tracelot-admins=admin,tracelot-editors=editor'),
          label: 'Test IdP',
          scopes: 'openid profile email groups',
        },
      }),
      launchBrowser(),
    ]);
  }, E2E_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.close();
  });

  async function newPage(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT);
    return page;
  }

  /** From a Tracelot page that needs a login, through the provider's own login form. */
  async function signInAtProvider(page: Page, who: TestAccount): Promise<void> {
    await page.goto(`${server.url}/builds`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByLabel('Login').fill(who.username);
    await page.getByLabel('Secret').fill(who.password);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('signs a user in with the mapped role; a role change at the provider counts at the next login', async () => {
    const page = await newPage();
    await signInAtProvider(page, ada);
    await page.waitForURL(`${server.url}/builds`);
    await expectText(page.getByTestId('user-name'), 'ada');
    const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
    expect(me).toMatchObject({ name: 'ada', role: 'editor', via: 'session' });
    expect(await page.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);

    ada.groups = ['tracelot-admins'];
    await page.getByRole('button', { name: /log out/i }).click();
    await page.waitForURL(/\/login/);
    // Still signed in at the provider: it sends the browser straight back, with the new groups.
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await expectText(page.getByTestId('user-name'), 'ada');
    const after = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
    expect(after).toMatchObject({ name: 'ada', role: 'admin' });
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'ada' });
    await expectText(row.getByRole('cell').nth(1), 'admin');
    await expectText(row.getByRole('cell').nth(2), 'single sign-on');
  });

  it('refuses a user whose groups map to no role, with a page saying why', async () => {
    const page = await newPage();
    await signInAtProvider(page, eve);
    await page.waitForURL(/\/api\/v1\/auth\/oidc\/callback/);
    await expectText(page.getByRole('heading', { level: 1 }), 'Sign-in refused');
    await expectText(
      page.getByRole('alert'),
      "Your account at Test IdP has no role in Tracelot: its claim 'groups' (visitors) maps to no role. Ask your administrator to add you to a group that gives access.",
    );
    await page.getByRole('link', { name: 'Back to the login page' }).click();
    await page.waitForURL(`${server.url}/login`);
    const users = await (
      await server.login(server.admin.username, server.admin.password)
    ).call('GET', '/api/v1/users');
    expect(users.items.map((u: { username: string }) => u.username).sort()).toEqual([
      'ada',
      'admin',
    ]);
  });

  it('still logs the local admin in with a password', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/parts`);
    await page.waitForURL(/\/login\?next=/);
    await logIn(page, server.admin.username, server.admin.password);
    const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
    expect(me).toMatchObject({ name: 'admin', role: 'admin' });
  });
});
