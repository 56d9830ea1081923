import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { choose, describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * The BOM editor: a three-line BOM (imported, all on stage 1) is edited on the project page into
 * three named stages — "SMT", "Hand solder" and a documentation stage — and a build started from
 * it shows the names, its BOM revision, and that the project's BOM changed after it.
 */
describeInBrowser('web UI: BOM editor with named stages and revisions', () => {
  let session: E2eSession;
  let server: E2eServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;
  let projectCode = '';
  let line = '';

  beforeAll(async () => {
    session = await openSession();
    ({ server, browser, page, admin } = session);
    void browser;
    line = (await admin.call('POST', '/api/v1/locations', { name: 'Line 1' })).code;
    const project = await admin.call('POST', '/api/v1/projects', { name: 'Motor driver' });
    projectCode = project.code;
    await admin.call('POST', `/api/v1/projects/${projectCode}/bom/import`, {
      csv: [
        'Reference,Qty,Value,Footprint,MPN,Description',
        'C1,1,100nF,Capacitor_SMD:C_0402_1005Metric,GRM155R61A104KA01D,"Capacitor, ceramic, 16 V X7R"',
        'J1,1,Conn_01x02,Connector:Conn_01x02,CONN-2,',
        'R1,1,10k,Resistor_SMD:R_0603_1608Metric,RC0603FR-0710KL,',
      ].join('\n'),
      createParts: true,
      commit: true,
    });
    await session.logIn(`/c/${projectCode}`);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  const bomRows = () => page.getByRole('table', { name: 'BOM' }).locator('tbody tr');
  /** Designators, part and stage of each BOM line, as the table shows them. */
  const lines = async () => {
    const out: string[] = [];
    for (const row of await bomRows().all()) {
      const cells = await row.getByRole('cell').allTextContents();
      out.push(`${cells[2]} | ${cells[3]} | ${cells[5]}`);
    }
    return out;
  };

  it('shows the imported BOM with readable part names, all on one unnamed stage', async () => {
    await expectText(page.getByTestId('bom-revision'), 'BOM revision 1');
    await expect
      .poll(lines)
      .toEqual([
        'C1 | 100nF 0402 GRM155R61A104KA01D | Stage 1',
        'J1 | Conn_01x02 CONN-2 | Stage 1',
        'R1 | 10k 0603 RC0603FR-0710KL | Stage 1',
      ]);
    await expectText(page.getByTestId('stage-1'), /1 unnamed · 3 lines/);
  });

  it('lists the imported parts with their value and description', async () => {
    await page.goto(`${server.url}/parts`);
    const table = page.getByRole('table');
    const row = table.locator('tbody tr', { hasText: 'GRM155R61A104KA01D' });
    await row.waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Name',
      'Value',
      'Description',
      'MPN',
      'Manufacturer',
      'Kind',
      'On hand',
    ]);
    expect((await row.getByRole('cell').allTextContents()).slice(1, 3)).toEqual([
      '100nF',
      'Capacitor, ceramic, 16 V X7R',
    ]);
    await page.goto(`${server.url}/c/${projectCode}`);
    await page.getByTestId('bom-revision').waitFor();
  });

  it('names stage 1, adds a second stage and moves two lines onto it at once', async () => {
    await page.getByRole('button', { name: 'Name stage 1' }).click();
    await page.getByLabel('New name of stage 1').fill('SMT');
    await page
      .getByRole('form', { name: 'Rename stage 1' })
      .getByRole('button', { name: 'Save' })
      .click();
    await expectText(page.getByTestId('stage-1'), /1 SMT · 3 lines/);

    const add = page.getByRole('form', { name: 'Add a stage' });
    await add.getByLabel('New stage', { exact: true }).fill('Hand solder');
    await add.getByRole('button', { name: 'Add stage' }).click();
    await expectText(page.getByTestId('stage-2'), /2 Hand solder · 0 lines/);

    await page.getByLabel('Select line 2').check();
    await page.getByLabel('Select line 3').check();
    const bulk = page.getByRole('form', { name: 'Set the stage of the selected lines' });
    await expectText(bulk, /2 lines selected/);
    await choose(bulk, 'Stage for the selected lines', '2 · Hand solder');
    await bulk.getByRole('button', { name: 'Set stage' }).click();
    await expect
      .poll(lines)
      .toEqual([
        'C1 | 100nF 0402 GRM155R61A104KA01D | 1 · SMT',
        'J1 | Conn_01x02 CONN-2 | 2 · Hand solder',
        'R1 | 10k 0603 RC0603FR-0710KL | 2 · Hand solder',
      ]);
  });

  it('changes a line, moves one back to SMT and up, and adds a documentation stage', async () => {
    await page.getByRole('button', { name: 'Change line 1' }).click();
    const form = page.getByRole('form', { name: 'Change line 1' });
    await form.getByLabel('Designators', { exact: true }).fill('C1, C2');
    await form.getByLabel('Quantity per unit', { exact: true }).fill('2');
    await form.getByLabel('Notes', { exact: true }).fill('decoupling, next to U1');
    await form.getByRole('button', { name: 'Save line' }).click();
    await form.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Change line 3' }).click();
    const third = page.getByRole('form', { name: 'Change line 3' });
    await choose(third, 'Stage', '1 · SMT');
    await third.getByRole('button', { name: 'Save line' }).click();
    await third.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Move line 3 up' }).click();
    await expect
      .poll(lines)
      .toEqual([
        'C1, C2 | 100nF 0402 GRM155R61A104KA01Ddecoupling, next to U1 | 1 · SMT',
        'R1 | 10k 0603 RC0603FR-0710KL | 1 · SMT',
        'J1 | Conn_01x02 CONN-2 | 2 · Hand solder',
      ]);

    const add = page.getByRole('form', { name: 'Add a stage' });
    await add.getByLabel('New stage', { exact: true }).fill('Documentation');
    await add.getByLabel(/Documentation only/).check();
    await add.getByRole('button', { name: 'Add stage' }).click();
    await expectText(
      page.getByTestId('stage-3'),
      /3 Documentation · documentation only, places no parts/,
    );
    // A line cannot go onto a documentation stage: the stage is not offered.
    await page.getByRole('button', { name: 'Change line 1' }).click();
    const options = await page
      .getByRole('form', { name: 'Change line 1' })
      .getByLabel('Stage', { exact: true })
      .locator('option')
      .allTextContents();
    expect(options).toEqual(['1 · SMT', '2 · Hand solder']);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expectText(page.getByTestId('bom-revision'), 'BOM revision 1');
  });

  it('a build shows the stage names and its BOM revision; a later edit makes revision 2', async () => {
    const bom = await admin.call('GET', `/api/v1/projects/${projectCode}/bom`);
    const stores = (await admin.call('POST', '/api/v1/locations', { name: 'Stores' })).code;
    await admin.call('POST', '/api/v1/stock/receive', {
      items: bom.entries.map((e: { part: { code: string } }) => ({
        part: e.part.code,
        location: stores,
        quantity: 100,
      })),
    });
    const build = await admin.call('POST', '/api/v1/builds', {
      project: projectCode,
      quantity: 2,
      location: line,
      serialized: true,
    });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete line 3' }).click();
    await expect.poll(async () => (await bomRows().all()).length).toBe(2);
    await expectText(page.getByTestId('bom-revision'), 'BOM revision 2');

    await page.goto(`${server.url}/c/${build.code}`);
    const progress = page.getByRole('list', { name: 'Stage progress' });
    await expectText(progress.getByTestId('stage-1'), /1 · SMT/);
    await expectText(progress.getByTestId('stage-2'), /2 · Hand solder/);
    await expectText(progress.getByTestId('stage-3'), /3 · Documentation.*documentation only/);
    await expectText(
      page.getByTestId('bom-revision'),
      "BOM revision 1 (the project's BOM has changed since: now revision 2)",
    );
    const buildBom = page.getByRole('table', { name: 'Build BOM' });
    expect(await buildBom.locator('tbody tr').count()).toBe(3);
    await expectText(buildBom.getByTestId('bom-line-3'), /2 · Hand solder/);
  });
});
