import bwipjs from 'bwip-js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ACTION_TIMEOUT,
  choose,
  CHROMIUM,
  CODE_IN_URL,
  codeInUrl,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  openLoggedIn,
  PHONE,
  scan,
} from './support/browser.js';
import { buildThreeUnits } from './support/fixtures.js';
import { startE2eServer, type ApiSession, type E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/** Types into the scan page's input and presses Enter, as a keyboard-wedge scanner does. */
async function wedge(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Scanned text', { exact: true });
  await box.pressSequentially(text, { delay: 2 });
  await box.press('Enter');
}

/**
 * A one-frame Y4M video of a QR code of `text` (Chromium loops it as a fake camera): black
 * modules on white, 8 pixels each, in a 640×480 grey frame.
 */
function qrVideo(text: string): Buffer {
  const symbol = bwipjs.raw({ bcid: 'qrcode', text })[0] as unknown as {
    pixs: number[];
    pixx: number;
    pixy: number;
  };
  const { pixs, pixx, pixy } = symbol;
  const [width, height, scale] = [640, 480, 8];
  const luma = Buffer.alloc(width * height, 235);
  const left = (width - pixx * scale) / 2;
  const top = (height - pixy * scale) / 2;
  for (let y = 0; y < pixy * scale; y++)
    for (let x = 0; x < pixx * scale; x++)
      if (pixs[Math.floor(y / scale) * pixx + Math.floor(x / scale)])
        luma[(top + y) * width + left + x] = 16;
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const header = `YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`;
  return Buffer.concat([Buffer.from(header), luma, chroma]);
}

/**
 * The scan page (keyboard-wedge input, continuous mode, history; the camera only as far as
 * headless Chromium has none) and receiving a reel from its distributor label.
 */
describeInBrowser('web UI: the scan page and distributor labels', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;
  let units: { code: string; label: string }[] = [];
  let board: { code: string; shortCode: string };

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser, page, admin } = session);
    const location = (await admin.call('POST', '/api/v1/locations', { name: 'Final assembly' }))
      .code;
    await admin.call('POST', '/api/v1/locations', { name: 'Receiving shelf' });
    ({ board, units } = await buildThreeUnits(admin, location));
    await admin.call('POST', '/api/v1/parts', {
      name: 'Hex inverter',
      manufacturer: 'Texas Instruments',
      mpn: 'SN74HC04N',
    });
    await session.logIn(`/parts`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('says the camera is unavailable and keeps the scanner input ready', async () => {
    await page.getByRole('link', { name: 'Scan', exact: true }).click();
    await page.waitForURL(`${server.url}/scan`);
    await expectText(page.getByRole('heading', { level: 1 }), 'Scan');
    await page.waitForFunction(
      () => (document.activeElement as HTMLInputElement | null)?.name === 'scanned',
    );
    await page.getByRole('button', { name: 'Start camera' }).click();
    // Headless Chromium has no camera: the page says so and points to the keyboard input.
    await expectText(page.getByTestId('camera-message'), /camera.*keyboard input/i);
  });

  it('collects scanned units in continuous mode and opens the shipment form with them', async () => {
    await page.getByLabel('Continuous: add each scanned unit to a list').check();
    const answer = page.getByTestId('scan-answer');
    const count = page.getByTestId('collected-count');

    await wedge(page, units[0]!.code);
    await expectText(count, '1 unit collected');
    await wedge(page, units[1]!.code.slice(0, 12).toUpperCase());
    await expectText(count, '2 units collected');
    await wedge(page, units[0]!.code);
    await expectText(answer.getByRole('alert'), /is in the list already/);
    await wedge(page, board.code);
    await expectText(answer.getByRole('alert'), /only lots and units are collected/);
    await wedge(page, units[2]!.code);
    await expectText(count, '3 units collected');

    const collected = page.getByRole('list', { name: 'Collected units' });
    const hrefs = await collected
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(units.map((u) => `/c/${u.code}`));
    await collected.getByRole('button', { name: `Remove ${units[2]!.code.slice(0, 8)}` }).click();
    await expectText(count, '2 units collected');

    // Five scans, latest first; each that named something links to it.
    const history = page.getByRole('list', { name: 'Scan history' }).getByRole('listitem');
    await expect.poll(() => history.count()).toBe(5);
    expect(await history.nth(0).getByRole('link').getAttribute('href')).toBe(
      `/c/${units[2]!.code}`,
    );
    expect(await history.nth(1).getByRole('link').getAttribute('href')).toBe(`/c/${board.code}`);

    // The scrapped unit again: the shipment form leaves it out and says why.
    await wedge(page, units[2]!.code);
    await expectText(count, '3 units collected');
    await page.getByRole('link', { name: 'Ship them' }).click();
    await page.waitForURL(`${server.url}/shipments/new`);
    await expectText(
      page.getByRole('alert'),
      `Left out — only available units can be shipped: ${units[2]!.label} is scrapped`,
    );
    const list = page.getByRole('table', { name: 'Units to ship' });
    await expectText(list.locator('tbody tr').nth(1).locator('td').nth(0), units[1]!.label);
    expect(await list.locator('tbody tr td:first-child').allTextContents()).toEqual([
      units[0]!.label,
      units[1]!.label,
    ]);
    await page.getByRole('button', { name: 'Ship 2 units' }).waitFor();

    // The list and the history are still there when the page is opened again.
    await page.goto(`${server.url}/scan`);
    await expectText(page.getByTestId('collected-count'), '3 units collected');
    await expect
      .poll(() => page.getByRole('list', { name: 'Scan history' }).getByRole('listitem').count())
      .toBe(6);
  });

  it("opens a build's complete-stage form with the collected units, when they are one build's", async () => {
    const location = (await admin.call('GET', '/api/v1/locations')).items[0].code;
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Meter' });
    await admin.call('PUT', `/api/v1/projects/${project.code}/bom`, {
      entries: [{ part: board.code, quantity: 1, designators: 'PCB1' }],
    });
    const build = await admin.call('POST', '/api/v1/builds', {
      project: project.code,
      quantity: 4,
      location,
    });
    const fresh: { code: string; label: string }[] = (
      await admin.call('GET', `/api/v1/builds/${build.code}/units`)
    ).items;
    await page.goto(`${server.url}/scan`);
    await page.getByRole('button', { name: 'Clear list' }).click();
    const count = page.getByTestId('collected-count');
    await wedge(page, fresh[2]!.code);
    await wedge(page, units[0]!.code);
    await expectText(count, '2 units collected');
    await page.getByRole('button', { name: 'Complete a stage for them' }).click();
    await expectText(page.getByRole('alert').last(), /belong to 2 builds/);

    await page
      .getByRole('list', { name: 'Collected units' })
      .getByRole('button', { name: `Remove ${units[0]!.code.slice(0, 8)}` })
      .click();
    await wedge(page, fresh[1]!.code);
    await wedge(page, fresh[3]!.code);
    await expectText(count, '3 units collected');
    await page.getByRole('button', { name: 'Complete a stage for them' }).click();
    await page.waitForURL(`${server.url}/c/${build.code}`);
    const form = page.getByRole('form', { name: 'Complete a stage' });
    expect(await form.locator('input[name="serials"]').inputValue()).toBe('2-4');
    // The chosen units' labels can be printed from here too.
    expect(
      await page.getByRole('link', { name: 'Print labels for units 2-4' }).getAttribute('href'),
    ).toBe(`/labels?build=${build.code}&units=2-4`);
    await form.getByRole('button', { name: /Complete/ }).click();
    await expect
      .poll(async () => (await admin.call('GET', `/api/v1/builds/${build.code}`)).stages[0])
      .toMatchObject({ completedUnits: 3 });
  });

  it('fits a phone screen', async () => {
    const context = await browser.newContext(PHONE);
    try {
      const phone = await context.newPage();
      phone.setDefaultTimeout(ACTION_TIMEOUT);
      await session.logIn(`/scan`, phone);
      await phone.getByLabel('Continuous: add each scanned unit to a list').check();
      await wedge(phone, units[0]!.code);
      await expectText(phone.getByTestId('collected-count'), '1 unit collected');
      expect((await horizontalOverflow(phone)).scroll).toBeLessThanOrEqual(390);
    } finally {
      await context.close();
    }
  });

  it('receives a reel from a Digi-Key label typed with its separators lost', async () => {
    // Digi-Key's ECIA label ([)> RS 06 GS P… GS 1P… … RS EOT) as a wedge scanner types it when
    // it drops the control characters.
    const label =
      '[)>06P296-1563-5-ND1PSN74HC04NK1K8453271110K993122329D22481TZ24B0017A11K14LMYQ2511ZPICK12Z736098813Z99999920Z0000000000';
    await page.goto(`${server.url}/parts`);
    await scan(page, label);
    await page.waitForURL(`${server.url}/receive`);
    const scanned = page.getByTestId('scanned-label');
    await expectText(scanned.getByRole('link'), 'Hex inverter');
    await page
      .getByLabel('Part', { exact: true })
      .locator('option', { hasText: 'Hex inverter' })
      .waitFor({ state: 'attached' });
    expect(await page.getByLabel('Quantity', { exact: true }).inputValue()).toBe('25');
    expect(await page.getByLabel('Vendor lot', { exact: true }).inputValue()).toBe('Z24B0017A');
    expect(await page.getByLabel('Date code', { exact: true }).inputValue()).toBe('2248');
    expect(await page.getByLabel('Country of origin', { exact: true }).inputValue()).toBe('MY');

    await choose(page, 'Location', 'Receiving shelf');
    await page.getByRole('button', { name: 'Receive', exact: true }).click();
    await page.waitForURL(CODE_IN_URL);
    const lot = await admin.call('GET', `/api/v1/lots/${codeInUrl(page)}`);
    expect(lot).toMatchObject({
      part: { name: 'Hex inverter' },
      quantity: 25,
      vendorLot: 'Z24B0017A',
      dateCode: '2248',
      orderRef: '84532711',
      customFields: { 'Country of origin': 'MY' },
    });
    expect(await page.getByLabel('Vendor lot', { exact: true }).inputValue()).toBe('Z24B0017A');
    expect(await page.getByLabel('Date code', { exact: true }).inputValue()).toBe('2248');
  });

  it('says which part a label names when there is none, with the separators typed as stand-ins', async () => {
    await scan(page, '[)>{RS}06{GS}P296-9999-ND{GS}1PNOPART-42{GS}1TLOT7{GS}Q10{RS}{EOT}');
    await page.waitForURL(`${server.url}/receive`);
    await expectText(
      page.getByTestId('scanned-label').getByRole('alert'),
      /No part with MPN NOPART-42 or supplier SKU 296-9999-ND/,
    );
    expect(await page.getByLabel('Vendor lot', { exact: true }).inputValue()).toBe('LOT7');
    expect(await page.getByLabel('Part', { exact: true }).inputValue()).toBe('');
  });

  it('shows unrecognised text with its control characters visible', async () => {
    await page.goto(`${server.url}/scan`);
    await page.getByLabel('Continuous: add each scanned unit to a list').uncheck();
    // A scanner that sends a control character (GS) as itself, in text that is nothing known.
    const box = page.getByLabel('Scanned text', { exact: true });
    await box.fill('hello\x1dworld!');
    await box.press('Enter');
    await expectText(
      page.getByTestId('scan-answer').getByRole('alert'),
      /not recognised.*hello␝world!/,
    );
    const history = page.getByRole('list', { name: 'Scan history' }).getByRole('listitem');
    await expectText(history.nth(0).locator('code'), 'hello␝world!');
  });
});

/**
 * The camera, with Chromium's fake camera showing a unit's QR label: the page decodes it with
 * the bundled decoder (Chromium on Linux has no BarcodeDetector), whose wasm comes from our
 * own server, and opens the unit.
 */
describeInBrowser('web UI: scanning with the camera', () => {
  let server: E2eServer;
  let browser: Browser;
  let folder: string;
  let lot: { code: string };

  beforeAll(async () => {
    server = await startE2eServer();
    const admin = await server.login(server.admin.username, server.admin.password);
    const part = await admin.call('POST', '/api/v1/parts', { name: 'Power supply' });
    const location = await admin.call('POST', '/api/v1/locations', { name: 'Bench' });
    [lot] = (
      await admin.call('POST', '/api/v1/stock/receive', {
        items: [{ part: part.code, location: location.code, quantity: 1 }],
      })
    ).lots;
    folder = await mkdtemp(path.join(tmpdir(), 'tracelot-camera-'));
    const video = path.join(folder, 'label.y4m');
    await writeFile(video, qrVideo(`${server.url}/c/${lot.code}`));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
  }, E2E_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('reads a QR label through the camera and opens what it names', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT);
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url)) elsewhere.push(request.url());
    });
    await openLoggedIn(page, `${server.url}/scan`, server.admin.username, server.admin.password);
    await page.getByRole('button', { name: 'Start camera' }).click();
    await page.waitForURL(`${server.url}/c/${lot.code}`);
    await expectText(page.getByTestId('full-code'), lot.code);
    // The camera was on last time: the scan page starts it by itself.
    await page.goto(`${server.url}/scan`);
    await page.waitForURL(`${server.url}/c/${lot.code}`);
    expect(elsewhere).toEqual([]);
  });
});
