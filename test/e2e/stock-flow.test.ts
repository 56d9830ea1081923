import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  choose,
  CODE_IN_URL,
  codeInUrl,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  logIn,
  scan,
  watchApi,
} from './support/browser.js';
import type { E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

describeInBrowser('web UI: from an empty database to a received lot', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let api: ReturnType<typeof watchApi>;
  const partName = 'Resistor 10k 0603';
  const locationName = 'Shelf A3';
  let lotCode = '';
  let partCode = '';

  beforeAll(async () => {
    session = await openSession();
    ({ server, page } = session);
    api = watchApi(page);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('sends a visitor to the login page and logs the admin in with the printed password', async () => {
    await page.goto(`${server.url}/parts`);
    await page.waitForURL(/\/login\?next=%2Fparts$/);
    await page.getByLabel('Username', { exact: true }).fill(server.admin.username);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    await expectText(error, /password/i);

    await logIn(page, server.admin.username, server.admin.password);
    await page.waitForURL(`${server.url}/parts`);
    const empty = page.getByText('No parts yet');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('create your first part');
  });

  it('creates a part through the form and shows its page', async () => {
    await page.getByRole('link', { name: 'create your first part' }).click();
    await page.waitForURL(/\/parts\/new$/);
    await page.getByLabel('Name', { exact: true }).fill(partName);
    await page.getByLabel('MPN', { exact: true }).fill('RC0603FR-0710KL');
    await page.getByLabel('Manufacturer', { exact: true }).fill('Yageo');
    await page.getByLabel('Unit', { exact: true }).selectOption('pcs');
    await page.getByLabel('Kind', { exact: true }).selectOption('component');
    await page.getByLabel('Description', { exact: true }).fill('Thick film, 1 %');
    await page.getByRole('button', { name: 'Create part' }).click();
    await page.waitForURL(CODE_IN_URL);
    partCode = codeInUrl(page);
    await expectText(page.getByRole('heading', { level: 1 }), partName);
    await expectText(page.getByTestId('full-code'), partCode);
    await expectText(page.getByTestId('short-code'), partCode.slice(0, 8));
    await expectText(page.getByTestId('on-hand'), '0 pcs');
    await page.getByText('No stock of this part yet').waitFor();
  });

  it('lists and finds the part', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Parts' })
      .click();
    await page.getByRole('link', { name: partName }).waitFor();
    await page.getByLabel('Search parts', { exact: true }).fill('no such thing');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No parts match “no such thing”.').waitFor();
    expect(new URL(page.url()).searchParams.get('q')).toBe('no such thing');
    await page.getByLabel('Search parts', { exact: true }).fill('RC0603');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: partName }).waitFor();
  });

  it('creates a storage location', async () => {
    await page.getByRole('link', { name: 'Locations' }).click();
    await page.getByText('No locations yet').waitFor();
    await page.getByLabel('Location name', { exact: true }).fill(locationName);
    await page.getByRole('button', { name: 'Create location' }).click();
    const created = page.getByRole('status');
    await created.getByText(locationName).waitFor();
    await page.getByRole('cell', { name: locationName }).waitFor();
  });

  it('receives stock and lands on the new lot with its codes and a QR code that loads', async () => {
    await page.getByRole('link', { name: 'Receive' }).click();
    await page.waitForURL(/\/receive$/);
    await choose(page, 'Part', partName);
    await choose(page, 'Location', locationName);
    await page.getByLabel('Quantity', { exact: true }).fill('100');
    await page.getByLabel('Lot name', { exact: true }).fill('L-2024-001');
    await page.getByLabel('Vendor lot', { exact: true }).fill('VL-778');
    await page.getByLabel('Date code', { exact: true }).fill('2419');
    await page.getByLabel('Expiry', { exact: true }).fill('2027-06-30');
    await page.getByLabel('Order ref', { exact: true }).fill('PO-1001');
    await page.getByRole('button', { name: 'Receive', exact: true }).click();

    await page.waitForURL(CODE_IN_URL);
    lotCode = codeInUrl(page);
    await expectText(page.getByTestId('full-code'), lotCode);
    expect(lotCode).toHaveLength(26);
    await expectText(page.getByTestId('short-code'), lotCode.slice(0, 8));
    await expectText(page.getByRole('heading', { level: 1 }), 'L-2024-001');
    await expectText(page.getByTestId('lot-quantity'), '100 pcs');
    const balances = page.getByRole('table', { name: 'Balances' });
    expect(await balances.getByRole('cell').allTextContents()).toEqual([
      locationName,
      'On hand',
      '100 pcs',
    ]);
    expect(await page.getByLabel('Vendor lot', { exact: true }).inputValue()).toBe('VL-778');
    expect(await page.getByLabel('Expiry', { exact: true }).inputValue()).toBe('2027-06-30');

    const qr = page.locator('img.qr');
    expect(await qr.getAttribute('src')).toBe(`/api/v1/codes/${lotCode}/qr.svg`);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('img.qr');
      return img !== null && img.complete;
    });
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    const history = page.getByRole('list', { name: 'History' });
    await history.getByText('Received').waitFor();
    expect(await history.textContent()).toContain(`+100 pcs at ${locationName}`);
    expect(await history.textContent()).toContain(server.admin.username);
  });

  it('edits the lot fields and records the change in the history', async () => {
    await page.getByLabel('Name', { exact: true }).fill('L-2024-001b');
    await page.getByLabel('Tags', { exact: true }).fill('esd, reel');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field 1 name', { exact: true }).fill('Reel');
    await page.getByLabel('Field 1 value', { exact: true }).fill('7 inch');
    await page.getByRole('button', { name: 'Save fields' }).click();
    await page.getByText('Fields saved.').waitFor();
    const history = page.getByRole('list', { name: 'History' });
    await history.getByText('Changed').waitFor();
    const text = await history.textContent();
    expect(text).toContain('Name: L-2024-001 → L-2024-001b');
    expect(text).toContain('Tags: (none) → esd, reel');
    expect(text).toContain('Custom fields: (none) → Reel: 7 inch');
    await expectText(page.getByRole('heading', { level: 1 }), 'L-2024-001b');
  });

  it('removes stock from the lot', async () => {
    const actions = page.getByRole('form', { name: 'Stock action' });
    await actions
      .getByRole('radiogroup', { name: 'Action' })
      .getByText('Remove', { exact: true })
      .click();
    await actions.getByLabel('Quantity', { exact: true }).fill('5');
    await actions.getByLabel('Note', { exact: true }).fill('scrapped: bent leads');
    await actions.getByRole('button', { name: 'Remove' }).click();
    await page.getByText(`Removed 5 pcs from ${locationName} (On hand).`).waitFor();
    await page.getByTestId('lot-quantity').getByText('95 pcs').waitFor();
    const history = page.getByRole('list', { name: 'History' });
    await history.getByText('scrapped: bent leads').waitFor();
    expect(await history.textContent()).toContain('-5 pcs');
  });

  it('refuses to remove more than there is, with the server message', async () => {
    const actions = page.getByRole('form', { name: 'Stock action' });
    await actions.getByLabel('Quantity', { exact: true }).fill('1000');
    await actions.getByRole('button', { name: 'Remove' }).click();
    const error = actions.getByRole('alert');
    await error.waitFor();
    await expectText(error, /95/);
    await expectText(page.getByTestId('lot-quantity'), '95 pcs');
  });

  it('moves part of the lot to another location and holds it there', async () => {
    const { admin } = session;
    await admin.call('POST', '/api/v1/locations', { name: 'Quarantine' });
    const actions = page.getByRole('form', { name: 'Stock action' });
    await actions
      .getByRole('radiogroup', { name: 'Action' })
      .getByText('Move', { exact: true })
      .click();
    await actions.getByLabel('Quantity', { exact: true }).fill('20');
    await choose(page, 'To location', 'Quarantine');
    await actions.getByRole('button', { name: 'Move' }).click();
    await page.getByText(`Moved 20 pcs from ${locationName} (On hand).`).waitFor();
    const balances = page.getByRole('table', { name: 'Balances' });
    await expect
      .poll(() => balances.getByRole('cell').allTextContents())
      .toEqual(['Quarantine', 'On hand', '20 pcs', locationName, 'On hand', '75 pcs']);

    await actions
      .getByRole('radiogroup', { name: 'Action' })
      .getByText('Change status', { exact: true })
      .click();
    await actions.getByLabel('From', { exact: true }).selectOption({ index: 0 });
    await actions.getByLabel('New status', { exact: true }).selectOption('held');
    await actions.getByRole('button', { name: 'Change status' }).click();
    await page.getByText('Changed all at Quarantine (On hand) to Held.').waitFor();
    await expect
      .poll(() => balances.getByRole('cell').allTextContents())
      .toEqual(['Quarantine', 'Held', '20 pcs', locationName, 'On hand', '75 pcs']);
    await expectText(page.getByTestId('lot-quantity'), '95 pcs');
  });

  it('opens the lot when its short code is scanned into the header', async () => {
    await page.getByRole('link', { name: 'Parts' }).first().click();
    await page.waitForURL(/\/parts$/);
    await scan(page, lotCode.slice(0, 8).toUpperCase());
    await page.waitForURL(`${server.url}/c/${lotCode}`);
    await page.getByTestId('full-code').getByText(lotCode).waitFor();
    expect(await page.getByLabel('Scan or type a code', { exact: true }).inputValue()).toBe('');
  });

  it('opens the part page from a scanned part code and a /c/ link', async () => {
    await scan(page, partCode);
    await page.waitForURL(`${server.url}/c/${partCode}`);
    await expectText(page.getByRole('heading', { level: 1 }), partName);
    // 20 of the 95 are held: usable stock is the rest.
    await expectText(page.getByTestId('on-hand'), '75 pcs');
    await page
      .getByRole('link', { name: lotCode.slice(0, 8) })
      .first()
      .click();
    await page.waitForURL(`${server.url}/c/${lotCode}`);

    // A label's short-code URL resolves and settles on the full code.
    await page.goto(`${server.url}/c/${lotCode.slice(0, 8)}`);
    await page.waitForURL(`${server.url}/c/${lotCode}`);
    await expectText(page.getByTestId('full-code'), lotCode);
  });

  it('sends the user to the login page when the session is gone, and back afterwards', async () => {
    // The lot page's sections load after its heading: a request still in flight when the cookie
    // goes would itself send the page to the login page, before the scan box can be typed into.
    await api.settled();
    await page.context().clearCookies();
    await scan(page, partCode);
    await page.waitForURL(/\/login\?next=/);
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/c/${lotCode}`);
    await logIn(page, server.admin.username, server.admin.password);
    await page.waitForURL(`${server.url}/c/${lotCode}`);
    await expectText(page.getByTestId('full-code'), lotCode);
  });

  it('logs out, and a logged-out visit to a lot returns there after logging in', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${server.url}/c/${lotCode}`);
    await page.waitForURL(/\/login\?next=/);
    await logIn(page, server.admin.username, server.admin.password);
    await page.waitForURL(`${server.url}/c/${lotCode}`);
    await expectText(page.getByTestId('short-code'), lotCode.slice(0, 8));
  });
});
