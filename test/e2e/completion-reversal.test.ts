import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { choose, describeInBrowser, E2E_TIMEOUT, expectText } from './support/browser.js';
import type { ApiSession, E2eServer } from './support/server.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * Correcting a build in the browser: a stage completed with the wrong reel is reversed from the
 * build's timeline with a reason and completed again with the right reel, and the recall of
 * each reel shows the corrected units; a line of the build's BOM changes with a reason.
 */
describeInBrowser('web UI: reversing a wrong-reel completion, changing a BOM line', () => {
  let session: E2eSession;
  let server: E2eServer;
  let page: Page;
  let admin: ApiSession;
  let location = '';
  let project = '';
  let part = '';
  const reels = { wrong: '', right: '' };

  beforeAll(async () => {
    session = await openSession();
    ({ server, page, admin } = session);
    location = (await admin.call('POST', '/api/v1/locations', { name: 'SMT line' })).code;
    part = (await admin.call('POST', '/api/v1/parts', { name: 'Resistor 1k' })).code;
    const received = await admin.call('POST', '/api/v1/stock/receive', {
      items: [
        { part, location, quantity: 100, lot: { vendorLot: 'VL-WRONG' } },
        { part, location, quantity: 100, lot: { vendorLot: 'VL-RIGHT' } },
      ],
    });
    reels.wrong = received.lots[0].code;
    reels.right = received.lots[1].code;
    const created = await admin.call('POST', '/api/v1/projects', { name: 'Divider board' });
    await admin.call('PUT', `/api/v1/projects/${created.code}/bom`, {
      entries: [{ part, quantity: 2, designators: 'R1, R2' }],
    });
    project = created.code;
    await session.logIn('/builds');
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('reverses the wrong-reel completion with a reason, redoes it, and the recall shows the corrected units', async () => {
    const build = await admin.call('POST', '/api/v1/builds', { project, quantity: 3, location });
    const wrong = await admin.call('POST', `/api/v1/builds/${build.code}/stages/1/complete`, {
      lots: [{ entry: 1, lot: reels.wrong }],
    });
    await page.goto(`${server.url}/c/${build.code}`);
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByRole('button', { name: 'Reverse…' }).click();
    const form = page.getByRole('form', { name: `Reverse completion ${wrong.completion}` });
    await form.getByLabel('Reason', { exact: true }).fill('wrong reel: VL-WRONG is 10k');
    await form.getByRole('button', { name: 'Reverse completion' }).click();
    await expectText(
      page.getByRole('status'),
      `Completion ${wrong.completion} reversed: stage 1 is to do again for 3 units (1–3).`,
    );
    await expectText(timeline.getByTestId('reversal'), /wrong reel: VL-WRONG is 10k$/);
    await expectText(timeline.getByTestId('timeline-completion_reversed'), /reversed/);
    // The reversed completion has no action any more.
    expect(await timeline.getByRole('button', { name: 'Reverse…' }).count()).toBe(0);
    await expectText(page.getByTestId('stage-1'), /0 \/ 3 units/);

    // Redone with the right reel, chosen by hand.
    const complete = page.getByRole('form', { name: 'Complete a stage' });
    await complete.getByRole('button', { name: 'Choose a lot by hand' }).click();
    await choose(complete.getByRole('group', { name: 'Chosen lot 1' }), 'Lot', 'VL-RIGHT');
    await complete.getByRole('button', { name: 'Complete stage 1', exact: true }).click();
    await expectText(page.getByRole('status'), 'Stage 1 completed for 3 units (1–3).');
    await expectText(page.getByTestId('stage-1'), /3 \/ 3 units/);
    expect(await timeline.getByTestId('timeline-stage_completed').count()).toBe(2);
    // Still struck through after a reload: stored, not only held by the page.
    await page.reload();
    await expectText(
      page.getByRole('list', { name: 'Timeline' }).getByTestId('reversal'),
      /wrong reel: VL-WRONG is 10k$/,
    );

    // The recall of the right reel: the three units; of the wrong reel: none.
    const units = (await admin.call('GET', `/api/v1/builds/${build.code}/units`)).items as {
      label: string;
    }[];
    await page.goto(`${server.url}/recall/${reels.right}`);
    await expectText(page.getByTestId('count-units'), '3');
    const rows = await page
      .getByRole('table', { name: 'Affected units' })
      .locator('tbody tr td:nth-child(2)')
      .allTextContents();
    expect(rows).toEqual(units.map((u) => u.label));
    await page.goto(`${server.url}/recall/${reels.wrong}`);
    await expectText(page.getByTestId('recall-lot'), reels.wrong.slice(0, 8));
    await page.getByText('Nothing was made with this lot: no unit or lot contains it.').waitFor();
    const stock = await admin.call('GET', `/api/v1/lots/${reels.wrong}`);
    expect(stock.balances.map((b: { quantity: number }) => b.quantity)).toEqual([100]);
  });

  it('changes a line of the build’s BOM with a reason', async () => {
    const build = await admin.call('POST', '/api/v1/builds', { project, quantity: 2, location });
    const other = await admin.call('POST', '/api/v1/parts', { name: 'Resistor 1k, 0402' });
    await page.goto(`${server.url}/c/${build.code}`);
    const line = page.getByTestId('bom-line-1');
    await line.getByRole('button', { name: 'Change…' }).click();
    const form = page.getByRole('form', { name: 'Change line 1' });
    await form.getByLabel('Part', { exact: true }).fill(other.code);
    await form.getByLabel('Per unit', { exact: true }).fill('3');
    await form.getByLabel('Reason', { exact: true }).fill('0603 out of stock');
    await form.getByRole('button', { name: 'Change the line' }).click();
    await expectText(page.getByRole('status'), 'BOM line 1 changed.');
    await expectText(page.getByTestId('bom-line-1'), /Resistor 1k, 0402.*3 pcs/);
    await expectText(
      page.getByRole('list', { name: 'Timeline' }).getByTestId('timeline-bom_changed'),
      /BOM line 1 changed: 2 × Resistor 1k \(stage 1\) → 3 × Resistor 1k, 0402 \(stage 1\).*0603 out of stock/,
    );
    const bom = await admin.call('GET', `/api/v1/builds/${build.code}/bom`);
    expect(bom.entries.map((e: any) => [e.part.code, e.quantity])).toEqual([[other.code, 3]]);
  });
});
