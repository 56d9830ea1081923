import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { choose, describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

// Real bag labels (see test/distributor-barcodes.test.ts): Digi-Key's ECIA label as a wedge
// scanner types it with its control characters lost, an LCSC QR code and a TME QR code.
const DIGI_KEY =
  '[)>06P296-1563-5-ND1PSN74HC04NK1K8453271110K993122329D22481TZ24B0017A11K14LMYQ2511ZPICK12Z736098813Z99999920Z0000000000';
const LCSC =
  '{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1,pdi:34421807}';
const TME =
  'QTY:1 PN:WBP-302 PO:19361337/1 CPO:PO-2023-06-08-001337 MFR:WISHERENTERPRISE MPN:WBP-302 RoHS https://www.tme.eu/details/WBP-302';

interface Lot {
  part: { name: string };
  quantity: number;
  vendorLot: string;
  dateCode: string;
  orderRef: string;
  customFields: Record<string, string>;
}

describeInBrowser('web UI: receiving a BOM’s reels at once', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let admin: ApiSession;
  let project = '';
  const lots = (codes: string[]) =>
    Promise.all(codes.map((c) => admin.call('GET', `/api/v1/lots/${c}`) as Promise<Lot>));
  /** The codes in the labels link the page offers after receiving. */
  const printedCodes = async () => {
    const href = await page.getByRole('link', { name: 'Print their labels' }).getAttribute('href');
    return new URL(href!, server.url).searchParams.get('codes')!.split(',');
  };

  beforeAll(async () => {
    session = await openSession();
    ({ server, page, admin } = session);
    await admin.call('POST', '/api/v1/locations', { name: 'Reel rack' });
    const parts = await Promise.all(
      [
        { name: 'Hex inverter', mpn: 'SN74HC04N' },
        { name: 'Toggle switch', mpn: 'WBP-302' },
        { name: 'Op amp', mpn: 'LM358BIDDFR' },
      ].map((p) => admin.call('POST', '/api/v1/parts', p)),
    );
    project = (await admin.call('POST', '/api/v1/projects', { name: 'Sensor node' })).code;
    await admin.call('PUT', `/api/v1/projects/${project}/bom`, {
      entries: parts.map((p: { code: string }, i: number) => ({ part: p.code, quantity: i + 1 })),
    });
    await session.logIn('/receive?mode=many');
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const scanLabel = async (text: string) => {
    const box = page.getByLabel('Scan a bag label', { exact: true });
    await box.pressSequentially(text, { delay: 2 });
    await box.press('Enter');
  };

  it('receives scanned bag labels as rows, creating the part no label finds, then offers their labels', async () => {
    await page.getByText('No rows yet').waitFor();
    await scanLabel(DIGI_KEY);
    await expectText(page.getByRole('status'), 'Row 1: 25 × Hex inverter');
    await scanLabel(LCSC);
    await expectText(page.getByRole('status'), 'Row 2: 2 × new part ST-1-102-A01-T000-RS');
    await scanLabel(TME);
    await expectText(page.getByRole('status'), 'Row 3: 1 × Toggle switch');
    // The same bag scanned again is not a second row.
    await scanLabel(DIGI_KEY);
    await expectText(page.getByRole('status'), /This label is row 1 already/);
    const rows = page.getByTestId('receive-row');
    expect(await rows.count()).toBe(3);
    await expectText(rows.nth(1), /New part “ST-1-102-A01-T000-RS”/);
    expect(await page.getByLabel('Date code, row 1', { exact: true }).inputValue()).toBe('2248');
    // A correction before receiving: the TME bag held 4.
    await page.getByLabel('Quantity, row 3', { exact: true }).fill('4');

    await choose(page, 'Location', 'Reel rack');
    await page.getByRole('button', { name: 'Receive 3 lots' }).click();
    await expectText(
      page.getByRole('status', { name: 'Received' }).locator('.success'),
      'Received 3 lots and created 1 part.',
    );
    const received = await lots(await printedCodes());
    expect(received.map((l) => [l.part.name, l.quantity])).toEqual([
      ['Hex inverter', 25],
      ['ST-1-102-A01-T000-RS', 2],
      ['Toggle switch', 4],
    ]);
    expect(received[0]).toMatchObject({
      vendorLot: 'Z24B0017A',
      dateCode: '2248',
      orderRef: '84532711',
      customFields: { 'Country of origin': 'MY' },
    });
    expect(received[2]!.orderRef).toBe('19361337');
    await page.getByText('No rows yet').waitFor();

    // The labels page opens with the new lots to print.
    await page.getByRole('link', { name: 'Print their labels' }).click();
    await page.waitForURL(/\/labels\?codes=/);
    await expectText(page.getByRole('main'), /3 lots|3 labels|3 codes/);
  });

  it('receives a CSV file with a mapped column; a bad row refuses all and is marked', async () => {
    await page.goto(`${server.url}/receive?mode=many`);
    await page.getByText('A CSV file', { exact: true }).click();
    await page
      .getByLabel('CSV text', { exact: true })
      .fill('Mfr Code;Order Qty.;Lot\nLM358BIDDFR;100;L9\nSN74HC04N;ten;L10\n');
    await page.getByRole('button', { name: 'Map a column' }).click();
    await page.getByLabel('Column 1', { exact: true }).fill('Mfr Code');
    await page.getByLabel('Column 1 means', { exact: true }).selectOption('mpn');
    await page.getByRole('button', { name: 'Preview rows' }).click();
    await expectText(page.getByRole('status'), /Added 2 rows\. Columns read: MPN ← “Mfr Code”/);
    const rows = page.getByTestId('receive-row');
    await expectText(rows.nth(0).getByRole('link'), 'Op amp');
    await expectText(rows.nth(1).getByRole('link'), 'Hex inverter');

    await choose(page, 'Location', 'Reel rack');
    const before = (await admin.call('GET', '/api/v1/stock?limit=1000')).total;
    await page.getByRole('button', { name: 'Receive 2 lots' }).click();
    await expectText(
      page.getByText(/^Nothing was received/),
      'Nothing was received: row 2 — Quantity: must be a number, got "ten"',
    );
    await expectText(rows.nth(1).getByRole('alert'), 'Quantity: must be a number, got "ten"');
    expect((await admin.call('GET', '/api/v1/stock?limit=1000')).total).toBe(before);

    await page.getByLabel('Quantity, row 2', { exact: true }).fill('10');
    await page.getByRole('button', { name: 'Receive 2 lots' }).click();
    await expectText(
      page.getByRole('status', { name: 'Received' }).locator('.success'),
      'Received 2 lots.',
    );
    const received = await lots(await printedCodes());
    expect(received.map((l) => [l.part.name, l.quantity, l.vendorLot])).toEqual([
      ['Op amp', 100, 'L9'],
      ['Hex inverter', 10, 'L10'],
    ]);
  });

  it('opens the receive page with a build’s shortages', async () => {
    await page.goto(`${server.url}/builds/new?project=${project}`);
    await page.getByLabel('Quantity', { exact: true }).fill('100');
    await page.getByRole('button', { name: 'Check stock' }).click();
    await page.getByRole('link', { name: 'Receive the shortages' }).click();
    await page.waitForURL(/\/receive\?mode=many$/);
    const rows = page.getByTestId('receive-row');
    await expectText(rows.nth(0).getByRole('link'), 'Hex inverter');
    // 100 units need 100 inverters (35 in stock), 200 switches (4), 300 op amps (100).
    const quantities = await Promise.all(
      [1, 2, 3].map((n) => page.getByLabel(`Quantity, row ${n}`, { exact: true }).inputValue()),
    );
    expect(quantities).toEqual(['65', '196', '200']);
  });
});
