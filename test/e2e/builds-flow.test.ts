import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ACTION_TIMEOUT,
  choose,
  CODE_IN_URL,
  codeInUrl,
  describeInBrowser,
  E2E_TIMEOUT,
  expectText,
  horizontalOverflow,
  PHONE,
} from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';
import { buildSerialLabel } from '../../src/domain/unit-label.js';

/**
 * A KiCad "grouped by value" BOM export (preamble, quoted fields, doubled quotes) with a Stage
 * field: stage 1 places R1, R2 and C1; stage 2 the header J1; stage 3 only has the DNP jumper R9
 * (documentation only).
 */
const KICAD_BOM = [
  '"Source:","/home/maker/sensor-node/sensor-node.kicad_sch"',
  '"Date:","2024-03-14T10:12:45+0100"',
  '"Tool:","Eeschema 8.0.1"',
  '"Generator:","/usr/share/kicad/plugins/bom_csv_grouped_by_value.py"',
  '"Component Count:","5"',
  '',
  '"Collated Components:"',
  '',
  '"Item","Qty","Reference(s)","Value","LibPart","Footprint","Datasheet","DNP","Description","MPN","Manufacturer","Stage"',
  '"1","2","R1, R2","10k","Device:R","Resistor_SMD:R_0603_1608Metric","~","","Resistor 10k 1% 0603","RC0603FR-0710KL","Yageo","1"',
  '"2","1","C1","100nF","Device:C","Capacitor_SMD:C_0402_1005Metric","~","","Cap, ceramic, 100nF 16V X7R","GRM155R71C104KA88D","Murata","1"',
  '"3","1","J1","Conn_01x04","Connector_Generic:Conn_01x04","Connector_PinHeader_2.54mm:PinHeader_1x04_P2.54mm_Vertical","~","","Header 1x04, 2.54 mm ""SWD""","61300411121","Würth Elektronik","2"',
  '"4","1","R9","0R","Device:R","Resistor_SMD:R_0603_1608Metric","~","DNP","Jumper, fit for debugging","RC0603JR-070RL","Yageo","3"',
  '',
].join('\n');

describeInBrowser('web UI: BOM import, a serialized multi-stage build, trace and recall', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;
  let projectCode = '';
  let buildCode = '';
  let short = '';
  /** Unit n's label, as the build's pages print it. */
  const label = (n: number) => buildSerialLabel(buildCode, n);
  const parts: Record<string, string> = {};
  const lots: Record<'reelA' | 'reelB' | 'caps' | 'headers', { code: string; shortCode: string }> =
    {} as never;
  const units: { code: string; label: string }[] = [];

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser, page, admin } = session);
    await admin.call('POST', '/api/v1/locations', { name: 'Line 1' });
    await admin.call('POST', '/api/v1/locations', { name: 'Stores' });
    await session.logIn(`/projects`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  /** Receives one lot through the API (stock is set up, not tested, here). */
  const receive = async (part: string, quantity: number, lot: Record<string, string>) => {
    const stores = (await admin.call('GET', '/api/v1/locations?q=Stores')).items[0];
    const result = await admin.call('POST', '/api/v1/stock/receive', {
      items: [{ part, location: stores.code, quantity, lot }],
    });
    return result.lots[0] as { code: string; shortCode: string };
  };

  it('creates a project from the empty projects list', async () => {
    await page.waitForURL(`${server.url}/projects`);
    const empty = page.getByText('No projects yet');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('No projects yet — create one');
    await page.getByRole('link', { name: 'create one' }).click();
    await page.waitForURL(/\/projects\/new$/);
    await page.getByLabel('Name', { exact: true }).fill('Sensor node');
    await page.getByLabel('Description', { exact: true }).fill('Rev B, 4-layer');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(CODE_IN_URL);
    projectCode = codeInUrl(page);
    await expectText(page.getByRole('heading', { level: 1 }), 'Sensor node');
    await expectText(page.getByTestId('short-code'), projectCode.slice(0, 8));
    await expectText(page.getByTestId('bom-count'), '0 BOM entries');
    await page.getByText('No BOM yet — add lines, or import a KiCad BOM or a CSV below.').waitFor();
    await page.getByText('No builds of this project yet').waitFor();
  });

  it('shows every offending line of a file it cannot import', async () => {
    const form = page.getByRole('form', { name: 'Import BOM' });
    await form.getByLabel('CSV text', { exact: true }).fill('Colour;Size\nred;2\n');
    await form.getByRole('button', { name: 'Preview' }).click();
    const error = form.getByRole('alert').first();
    await error.waitFor();
    await expectText(error, /no header row found/);
    await expectText(form.getByRole('list', { name: 'Problems' }), /Line 1: .*Colour/);
    expect(await form.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
  });

  it('previews a KiCad BOM file read in the browser, then imports it creating the parts', async () => {
    const form = page.getByRole('form', { name: 'Import BOM' });
    await form.getByLabel('BOM file', { exact: true }).setInputFiles({
      name: 'sensor-node.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(KICAD_BOM, 'utf8'),
    });
    await expect
      .poll(() => form.getByLabel('CSV text', { exact: true }).inputValue())
      .toBe(KICAD_BOM);
    await form.getByRole('button', { name: 'Preview' }).click();
    const summary = form.getByTestId('import-summary');
    await expectText(summary, '4 lines: 0 matched, 4 unmatched, 0 with problems.');
    const preview = form.getByRole('table', { name: 'Preview lines' });
    expect(await preview.locator('tbody tr.row-unmatched').count()).toBe(4);
    expect(await form.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);

    await form.getByLabel(/Create missing parts/).check();
    await form.getByText('The file or the options changed: preview again.').waitFor();
    await form.getByRole('button', { name: 'Preview' }).click();
    await expectText(
      summary,
      '4 lines: 0 matched, 4 unmatched, 4 new parts to create, 0 with problems.',
    );
    const rows = preview.locator('tbody tr');
    expect(await rows.nth(0).textContent()).toContain('R1, R2');
    expect(await rows.nth(2).textContent()).toContain('61300411121');
    expect(await rows.nth(3).textContent()).toContain('DNP');

    await form.getByRole('button', { name: 'Import', exact: true }).click();
    await expectText(form.getByRole('status'), 'Imported 4 BOM entries and created 4 parts.');
    await expectText(page.getByTestId('bom-count'), '4 BOM entries');
    const bom = page.getByRole('table', { name: 'BOM' });
    await bom.getByRole('cell', { name: 'R1, R2' }).waitFor();
    const cells = async (n: number) =>
      (await bom.locator('tbody tr').nth(n).getByRole('cell').allTextContents()).slice(1, 7);
    expect(await cells(0)).toEqual([
      '1',
      'R1, R2',
      '10k 0603 RC0603FR-0710KL',
      '2 pcs',
      'Stage 1',
      '',
    ]);
    expect(await cells(1)).toEqual([
      '2',
      'C1',
      '100nF 0402 GRM155R71C104KA88D',
      '1 pcs',
      'Stage 1',
      '',
    ]);
    expect(await cells(2)).toEqual([
      '3',
      'J1',
      'Conn_01x04 PinHeader_1x04_P2.54mm_Vertical 61300411121',
      '1 pcs',
      'Stage 2',
      '',
    ]);
    expect(await cells(3)).toEqual([
      '4',
      'R9',
      '0R 0603 RC0603JR-070RL',
      '1 pcs',
      'Stage 3',
      'DNP',
    ]);

    const entries = (await admin.call('GET', `/api/v1/projects/${projectCode}/bom`)).entries;
    for (const e of entries) parts[e.designators[0]] = e.part.code;
  });

  it('checks stock in the build wizard: shortages are highlighted before anything starts', async () => {
    // Reel A is older than reel B: FIFO takes A; the test chooses B by hand for units 1–3.
    lots.reelA = await receive(parts.R1!, 1000, {
      name: 'Reel A',
      vendorLot: 'VL-A',
      dateCode: '2351',
      orderRef: 'PO-100',
    });
    lots.reelB = await receive(parts.R1!, 1000, {
      name: 'Reel B',
      vendorLot: 'VL-B',
      dateCode: '2419',
      orderRef: 'PO-101',
    });
    // Four capacitors for five units: one short.
    lots.caps = await receive(parts.C1!, 4, { name: 'Cap strip', vendorLot: 'VL-C' });
    lots.headers = await receive(parts.J1!, 10, { name: 'Headers', vendorLot: 'VL-H' });

    await page.reload();
    await page.getByRole('link', { name: 'New build' }).click();
    await page.waitForURL(/\/builds\/new\?project=/);
    const form = page.getByRole('form', { name: 'New build' });
    await expect
      .poll(() => form.getByLabel('Project', { exact: true }).inputValue())
      .toBe(projectCode);
    await expectText(
      form.getByTestId('stages'),
      /3 stages: 1 \(2 entries\), 2 \(1 entry\), 3 \(documentation only\)/,
    );
    await form.getByLabel('Quantity', { exact: true }).fill('5');
    await choose(page, 'Location', 'Line 1');
    expect(await form.getByLabel(/Track each unit separately/).isChecked()).toBe(true);
    expect(await form.getByLabel('Picking', { exact: true }).inputValue()).toBe('fifo');

    await form.getByRole('button', { name: 'Check stock' }).click();
    const answer = form.getByRole('region', { name: 'Stock check result' });
    await expectText(answer.getByRole('alert'), /Short of stock for 1 entry/);
    const shortages = answer.getByRole('table', { name: 'Shortages' });
    expect(await shortages.getByRole('cell').allTextContents()).toEqual([
      '2',
      '100nF 0402 GRM155R71C104KA88D',
      '5 pcs',
      '4 pcs',
      '1 pcs',
    ]);
    const plan = answer.getByRole('table', { name: 'Stock check' });
    expect(await plan.locator('tr.row-short').count()).toBe(1);
    const resistors = await plan.locator('tbody tr').nth(0).textContent();
    expect(resistors).toContain(lots.reelA.shortCode);
    expect(resistors).toContain('10 pcs');
    expect(resistors).not.toContain(lots.reelB.shortCode);
  });

  it('starts the build: five units in production, each its own code and label', async () => {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.waitForURL(CODE_IN_URL);
    buildCode = codeInUrl(page);
    short = buildCode.slice(0, 8);
    await expectText(page.getByTestId('short-code'), short);
    await expectText(page.getByTestId('build-status'), 'In progress');
    await expectText(page.getByTestId('build-quantity'), '5 units');
    await expectText(page.getByTestId('stage-1'), /Stage 1\s*0 \/ 5 units/);
    await expectText(page.getByTestId('stage-3'), /documentation only/);
    await expectText(page.getByTestId('unit-counts'), /5 in production/);

    const table = page.getByRole('table', { name: 'Units', exact: true });
    await table.getByRole('link', { name: label(5) }).waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(5);
    for (let n = 1; n <= 5; n++) {
      const row = rows.nth(n - 1);
      const link = row.getByRole('link', { name: label(n) });
      const href = (await link.getAttribute('href'))!;
      const code = CODE_IN_URL.exec(href)![1]!;
      units.push({ code, label: label(n) });
      expect(await row.getByRole('cell').allTextContents()).toEqual([
        '',
        label(n),
        code.slice(0, 8),
        'In production',
        // No tests are defined for the part.
        '—',
        '—',
        `Scrap ${label(n)}`,
      ]);
    }
    expect(new Set(units.map((u) => u.code)).size).toBe(5);
    await page.getByText('Nothing consumed yet').waitFor();
  });

  it('completes stage 1 for units 1–3 with a reel chosen by hand', async () => {
    const table = page.getByRole('table', { name: 'Units', exact: true });
    for (const n of [1, 2, 3]) await table.getByLabel(`Tick ${label(n)}`).check();
    const form = page.getByRole('form', { name: 'Complete a stage' });
    expect(await form.getByLabel('Units to complete', { exact: true }).inputValue()).toBe('1-3');
    await form.getByRole('button', { name: 'Choose a lot by hand' }).click();
    const choice = form.getByRole('group', { name: 'Chosen lot 1' });
    expect(await choice.getByLabel('BOM entry', { exact: true }).inputValue()).toBe('1');
    await choose(choice, 'Lot', 'VL-B');
    await form.getByRole('button', { name: 'Complete stage 1 for 3 units' }).click();
    await expectText(page.getByRole('status'), `Stage 1 completed for 3 units (1–3).`);
    await expectText(page.getByTestId('stage-1'), /3 \/ 5 units/);
    await expect
      .poll(async () => await table.locator('tbody tr td:nth-child(6)').allTextContents())
      .toEqual(['1', '1', '1', '—', '—']);
  });

  it('answers a short stage with what each entry misses, and completes once stock arrives', async () => {
    const form = page.getByRole('form', { name: 'Complete a stage' });
    await form.getByRole('radiogroup', { name: 'Units' }).getByText('All remaining units').click();
    await form.getByRole('button', { name: 'Complete stage 1', exact: true }).click();
    const error = form.getByRole('alert');
    await error.waitFor();
    expect(
      await form.getByRole('table', { name: 'Shortages' }).getByRole('cell').allTextContents(),
    ).toEqual(['2', '100nF 0402 GRM155R71C104KA88D', '2 pcs', '1 pcs', '1 pcs']);
    await expectText(page.getByTestId('stage-1'), /3 \/ 5 units/);

    await receive(parts.C1!, 100, { name: 'Cap reel', vendorLot: 'VL-C2' });
    await form.getByRole('button', { name: 'Complete stage 1', exact: true }).click();
    await expectText(page.getByRole('status'), 'Stage 1 completed for 2 units (4–5).');
    await expectText(page.getByTestId('stage-1'), /5 \/ 5 units/);
  });

  it('completes stage 2 and the documentation-only stage 3 for all units, then finishes', async () => {
    const form = page.getByRole('form', { name: 'Complete a stage' });
    await expect.poll(() => form.getByLabel('Stage', { exact: true }).inputValue()).toBe('2');
    await form.getByRole('button', { name: 'Complete stage 2', exact: true }).click();
    await expectText(page.getByRole('status'), 'Stage 2 completed for 5 units (1–5).');
    await expect.poll(() => form.getByLabel('Stage', { exact: true }).inputValue()).toBe('3');
    await form.getByText('This stage places no parts').waitFor();
    await form.getByRole('button', { name: 'Complete stage 3', exact: true }).click();
    await expectText(page.getByRole('status'), 'Stage 3 completed for 5 units (1–5).');

    await page
      .getByRole('form', { name: 'Finish the build' })
      .getByRole('button', { name: 'Finish build' })
      .click();
    await expectText(page.getByRole('status'), 'Build finished.');
    await expectText(page.getByTestId('build-status'), 'Finished');
    await expectText(page.getByTestId('unit-counts'), /0 in production · 5 available/);
    const table = page.getByRole('table', { name: 'Units', exact: true });
    await expect
      .poll(() => table.locator('tbody tr td:nth-child(3)').allTextContents())
      .toEqual(Array(5).fill('Available'));
    expect(await page.getByRole('form', { name: 'Complete a stage' }).count()).toBe(0);

    const consumption = page.getByRole('table', { name: 'Consumption' });
    const rows = await consumption
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()).join(' | '),
        ),
      );
    expect(rows).toContain(
      `1 | 1 | 10k 0603 RC0603FR-0710KL | ${lots.reelB.shortCode} Reel B | VL-B · DC 2419 | 6 | 1–3`,
    );
    expect(rows).toContain(
      `1 | 1 | 10k 0603 RC0603FR-0710KL | ${lots.reelA.shortCode} Reel A | VL-A · DC 2351 | 4 | 4–5`,
    );
    expect(rows).toContain(
      `2 | 3 | Conn_01x04 PinHeader_1x04_P2.54mm_Vertical 61300411121 | ${lots.headers.shortCode} Headers | VL-H | 5 | 1–5`,
    );
    expect(rows).toHaveLength(6);
  });

  it('opens a unit and shows its genealogy down to the supplier lots', async () => {
    await page.getByRole('link', { name: label(2) }).click();
    await page.waitForURL(`${server.url}/c/${units[1]!.code}`);
    await expectText(page.getByTestId('unit-label'), label(2));
    await expectText(page.getByTestId('lifecycle-state'), 'Available');
    await expectText(page.locator('.kind-label'), 'Unit');
    const tree = page.getByRole('list', { name: 'Genealogy' });
    await tree.getByText(lots.reelB.shortCode).waitFor();
    const text = (await tree.textContent())!;
    expect(text).toContain(
      `${lots.reelB.shortCode} Reel B · 10k 0603 RC0603FR-0710KL · vendor lot VL-B · date code 2419 · order PO-101`,
    );
    expect(text).toContain('for units 1–3 of build');
    // Reel B for units 1–3, the headers for all five units: one lot per entry, so exact.
    expect(text).toContain('in each of these units');
    expect(text).toContain(lots.headers.shortCode);
    expect(text).not.toContain('may hold either');
    expect(text).not.toContain(lots.reelA.shortCode);
    await expectText(
      page.getByTestId('trace-counts'),
      /0 units and 3 lots went into it, 3 supplier lots/,
    );
  });

  it('recalls reel B: exactly units 1–3, with a CSV download', async () => {
    await page
      .getByRole('list', { name: 'Genealogy' })
      .getByRole('link', { name: lots.reelB.shortCode })
      .click();
    await page.waitForURL(`${server.url}/c/${lots.reelB.code}`);
    await page.getByRole('link', { name: 'Recall' }).click();
    await page.waitForURL(`${server.url}/recall/${lots.reelB.code}`);
    await expectText(page.getByTestId('recall-lot'), lots.reelB.shortCode);
    await expectText(page.getByTestId('count-total'), '3');
    await expectText(page.getByTestId('count-units'), '3');
    await expectText(page.getByTestId('count-unit-scoped'), '3');
    await expectText(page.getByTestId('count-build-scoped'), '0');
    await expectText(page.getByTestId('count-levels'), 'By level: 1: 3 units');
    await expectText(page.getByTestId('count-states'), 'By state: Available 3');
    const table = page.getByRole('table', { name: 'Affected units' });
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()).join(' | '),
        ),
      );
    expect(rows).toEqual(
      [1, 2, 3].map(
        (n) => `1 | ${label(n)} | Sensor node | Available | Line 1 · On hand | contains it`,
      ),
    );

    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(href).toBe(`/api/v1/recall/${lots.reelB.code}/csv`);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(4);
    for (const unit of units.slice(0, 3)) expect(csv).toContain(unit.code);
    for (const unit of units.slice(3)) expect(csv).not.toContain(unit.code);
  });

  it('holds all matching stock after a confirmation', async () => {
    await page.getByRole('button', { name: 'Hold all matching stock…' }).click();
    const form = page.getByRole('form', { name: 'Hold all matching stock' });
    // The note says why, so it is asked for: an empty one is not sent.
    const note = form.getByLabel('Note', { exact: true });
    expect(await note.inputValue()).toBe('');
    await form.getByRole('button', { name: 'Hold all' }).click();
    expect(await note.evaluate((input: HTMLInputElement) => input.validity.valueMissing)).toBe(
      true,
    );
    await note.fill(`RMA 12: reel ${lots.reelB.shortCode}`);
    await form.getByRole('button', { name: 'Hold all' }).click();
    // Reel B's 994 pieces left and the three units.
    await expectText(
      page.getByTestId('hold-result'),
      'Held 4 balances of 4 lots: on hand 997 (4 balances).',
    );
    const table = page.getByRole('table', { name: 'Affected units' });
    await expect
      .poll(() => table.locator('tbody tr td:nth-child(5)').allTextContents())
      .toEqual(Array(3).fill('Line 1 · Held'));
    for (const unit of units) {
      const lot = await admin.call('GET', `/api/v1/lots/${unit.code}`);
      const held = units.indexOf(unit) < 3;
      expect(lot.balances.map((b: any) => b.status)).toEqual([held ? 'held' : 'on_hand']);
    }
    const reelA = await admin.call('GET', `/api/v1/lots/${lots.reelA.code}`);
    expect(reelA.balances.map((b: any) => b.status)).toEqual(['on_hand']);
  });

  it('lists the build and fits the new pages on a phone without horizontal scrolling', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Builds' })
      .click();
    await page.waitForURL(/\/builds$/);
    const builds = page.getByRole('table', { name: 'Builds' });
    await builds.getByRole('link', { name: short }).waitFor();
    expect(await builds.locator('tbody tr').first().textContent()).toContain('Finished');

    const context = await browser.newContext(PHONE);
    const phone = await context.newPage();
    phone.setDefaultTimeout(ACTION_TIMEOUT);
    await session.logIn(`/projects`, phone);
    const unfold = async (title: string, role: 'table' | 'list') => {
      const fold = phone.getByRole('region', { name: title, exact: true });
      await fold.getByText(title, { exact: true }).click();
      await fold.getByRole(role, { name: title }).waitFor();
    };
    const pages: [string, () => Promise<void>][] = [
      ['/projects', () => phone.getByRole('table', { name: 'Projects' }).waitFor()],
      [`/c/${projectCode}`, () => phone.getByRole('table', { name: 'BOM' }).waitFor()],
      [`/builds/new?project=${projectCode}`, () => phone.getByTestId('stages').waitFor()],
      ['/builds', () => phone.getByRole('table', { name: 'Builds' }).waitFor()],
      // Long sections are folded on a phone: opened, they fit too.
      [`/c/${buildCode}`, () => unfold('Consumption', 'table')],
      [`/c/${units[0]!.code}`, () => unfold('Genealogy', 'list')],
      [`/recall/${lots.reelB.code}`, () => phone.getByTestId('recall-counts').waitFor()],
    ];
    for (const [path, ready] of pages) {
      await phone.goto(server.url + path);
      await ready();
      const size = await horizontalOverflow(phone);
      expect(size.scroll, path).toBeLessThanOrEqual(size.client);
    }
    await context.close();
  });
});
