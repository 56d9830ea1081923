import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { ACTION_TIMEOUT, launchBrowser, openLoggedIn } from './browser.js';
import { startE2eServer, type ApiSession, type E2eServer } from './server.js';

export interface E2eSession {
  server: E2eServer;
  browser: Browser;
  /** The first admin, logged in through the API, for setting up what the test is not about. */
  admin: ApiSession;
  /** A fresh page (in its own browser context) that waits up to ACTION_TIMEOUT per action. */
  page: Page;
  /** Opens `path` on `page` (or `on`), logs the first admin in on the login page it is sent to. */
  logIn(path: string, on?: Page): Promise<void>;
  close(): Promise<void>;
}

/**
 * What a browser test starts with: the real server on a fresh database and Chromium, started
 * side by side, the first admin's API session, and a page not yet logged in (set up data
 * first, then `logIn` where the test begins). `context` are the page's browser context options,
 * `serverOptions` the server's (a data folder made beforehand…).
 */
export async function openSession(
  context: BrowserContextOptions = {},
  serverOptions: Parameters<typeof startE2eServer>[0] = {},
): Promise<E2eSession> {
  const [server, browser] = await Promise.all([startE2eServer(serverOptions), launchBrowser()]);
  try {
    const admin = await server.login(server.admin.username, server.admin.password);
    const page = await (await browser.newContext(context)).newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT);
    return {
      server,
      browser,
      admin,
      page,
      logIn: (path, on = page) =>
        openLoggedIn(on, `${server.url}${path}`, server.admin.username, server.admin.password),
      async close() {
        await browser.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser.close();
    await server.close();
    throw error;
  }
}
