import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page, type Request } from 'playwright-core';
import { describe, expect } from 'vitest';

export const CHROMIUM = process.env.TRACELOT_CHROMIUM ?? '/usr/bin/chromium';

/** Generous: a cold Chromium on a busy two-core machine is slow. */
export const E2E_TIMEOUT = 90_000;
/** How long one click, fill or wait of Playwright may take. */
export const ACTION_TIMEOUT = 15_000;

/**
 * `describe`, or `describe.skip` with a message when there is no Chromium on a developer's
 * machine. In CI the browser tests always run: a missing Chromium fails them.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (!existsSync(CHROMIUM) && !process.env.CI) {
    console.warn(`Skipping browser tests "${name}": no Chromium at ${CHROMIUM}.`);
    describe.skip(name, fn);
    return;
  }
  describe(name, { timeout: E2E_TIMEOUT }, fn);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Phone-sized screen (iPhone 12–15). */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

export const CODE_IN_URL = /\/c\/([0-9a-hjkmnp-tv-z]{26})$/;

/** Logs in through the login page; the app then shows the page that was asked for. */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('user-name').waitFor();
  expect(await page.getByTestId('user-name').textContent()).toBe(username);
}

/** Opens `url` in a logged-out page and logs in on the login page it is sent to. */
export async function openLoggedIn(
  page: Page,
  url: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(url);
  await page.waitForURL(/\/login\?next=/);
  await logIn(page, username, password);
}

/** The code in the page's URL, e.g. after landing on /c/<code>. */
export function codeInUrl(page: Page): string {
  const match = CODE_IN_URL.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`not on an object page: ${page.url()}`);
  return match[1]!;
}

/** Types into the header's scan box and presses Enter, as a keyboard-wedge scanner does. */
export async function scan(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Scan or type a code', { exact: true });
  await box.fill('');
  await box.pressSequentially(text, { delay: 5 });
  await box.press('Enter');
}

/** Whether the page is wider than the screen (horizontal scrolling). */
export function horizontalOverflow(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
}

/** Waits until the element's text is `expected` (pages render after the URL changes). */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  const text = () => locator.textContent({ timeout: 2_000 }).catch(() => null);
  const poll = expect.poll(text, { timeout: ACTION_TIMEOUT, interval: 100 });
  if (typeof expected === 'string') await poll.toBe(expected);
  else await poll.toMatch(expected);
}

/** Picks an option of a select (or search-and-select picker) by the text of the option. */
export async function choose(scope: Page | Locator, label: string, text: string): Promise<void> {
  const select = scope.getByLabel(label, { exact: true });
  const option = select.locator('option', { hasText: text });
  await option.waitFor({ state: 'attached' });
  await select.selectOption((await option.getAttribute('value'))!);
}

/**
 * Watches the page's API requests (call it before the page loads). `settled()` resolves once no
 * API request has been in flight for half a second. Unlike Playwright's 'networkidle' it ignores
 * what is not the app's own API (a PDF preview's viewer, fonts), and when it gives up it names the
 * requests still open.
 */
export function watchApi(page: Page): { settled(): Promise<void> } {
  const open = new Set<Request>();
  let lastChange = Date.now();
  // The live-updates stream stays open for the page's life: it is never "settled".
  const isApi = (request: Request) => {
    const { pathname } = new URL(request.url());
    return pathname.startsWith('/api/') && pathname !== '/api/v1/events';
  };
  page.on('request', (request) => {
    if (!isApi(request)) return;
    open.add(request);
    lastChange = Date.now();
  });
  const done = (request: Request) => {
    if (open.delete(request)) lastChange = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    async settled() {
      const quiet = 500;
      const giveUp = Date.now() + ACTION_TIMEOUT;
      while (open.size > 0 || Date.now() - lastChange < quiet) {
        if (Date.now() > giveUp) {
          const urls = [...open].map((r) => `${r.method()} ${r.url()}`);
          throw new Error(`API requests still open: ${urls.join(', ') || 'none, but not quiet'}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
