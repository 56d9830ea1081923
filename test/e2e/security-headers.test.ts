import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ACTION_TIMEOUT, describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/** A page of another origin (another port of the same host) that frames `url`. */
async function framingPage(url: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>other</title><iframe src="${url}" width="600"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Collects the page's Content-Security-Policy violations (set before it loads). */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  return () =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

describeInBrowser('web UI: Content-Security-Policy and framing', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let other: { url: string; server: Server };

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser } = session);
    other = await framingPage(`${server.url}/parts`);
  }, E2E_TIMEOUT);
  afterAll(async () => {
    await session?.close();
    other?.server.close();
  });

  it('pages carry a CSP that forbids framing and inline scripts', async () => {
    for (const path of ['/', '/parts', '/scan', '/favicon.svg']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('another origin cannot frame the app', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT);
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/frame/i.test(m.text())) refused.push(m.text());
    });
    await page.goto(other.url);
    await expect.poll(() => refused.length, { timeout: ACTION_TIMEOUT }).toBeGreaterThan(0);
    expect(refused.join('\n')).toMatch(/frame-ancestors 'none'/);
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    // The app's page never ran in the frame: no login form, no app root.
    expect(await frame.locator('#root').count()).toBe(0);
    await page.close();
  });

  it('the app works under its policy: log in, lists, scan page, no violations', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT);
    const violations = await watchViolations(page);
    await session.logIn(`/parts`, page);
    await expectText(page.getByRole('heading', { level: 1 }), 'Parts');
    await page.getByRole('link', { name: 'Scan', exact: true }).click();
    await expectText(page.getByRole('heading', { level: 1 }), 'Scan');
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
