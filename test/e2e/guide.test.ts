import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { objectUrl } from '../../src/domain/object-url.js';
import { describeInBrowser, E2E_TIMEOUT, expectText, PHONE } from './support/browser.js';
import { openSession, type E2eSession } from './support/session.js';

/**
 * The user guide's screenshots (docs/guide/img), taken on the demo company as a person walks
 * through it. `npm run guide` writes them into docs/guide/img; a plain test run writes them to
 * a temporary folder, so the walk is checked on every run and the pictures never go stale. The
 * last test holds the guide and the pictures to each other.
 */
const GUIDE = path.resolve('docs/guide');
const OUT =
  process.env.TRACELOT_GUIDE_IMAGES ?? mkdtempSync(path.join(tmpdir(), 'tracelot-guide-'));

// A bag label of the demo's USB-C receptacle (LCSC part C3020560) and one of a part the demo
// does not know (TME), as a scanner reads them.
const LCSC_LABEL =
  '{pbn:PICK2511051200,on:SO2511051200,pc:C3020560,pm:USB4105-GF-A,qty:50,mc:,cc:1,pdi:51234567}';
const TME_LABEL =
  'QTY:100 PN:1825910-6 PO:20251105/1 MFR:TE MPN:1825910-6 RoHS https://www.tme.eu/details/1825910-6';

describeInBrowser('the user guide’s walk through the demo company', () => {
  let session: E2eSession;
  let desk: Page;
  let phone: Page;
  const shots = new Set<string>();
  let demo: {
    code: (name: string) => string;
    unit: string;
    /** The finished sensor-node build's units. */
    units: string[];
    reel: string;
    /** The demo's three builds: the power modules, the finished and the running sensor nodes. */
    modules: string;
    finished: string;
    running: string;
  };

  /** Waits until the page shows its heading with nothing loading, then takes the picture. */
  async function shoot(page: Page, name: string): Promise<void> {
    await page.waitForFunction(
      () => document.querySelector('h1') !== null && document.querySelector('.loading') === null,
    );
    await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: false });
    shots.add(`${name}.png`);
  }
  const open = async (page: Page, url: string) => {
    await page.goto(`${session.server.url}${url}`);
  };

  beforeAll(async () => {
    session = await openSession({ viewport: { width: 1200, height: 820 } });
    desk = session.page;
    const call = session.admin.call;
    await call('POST', '/api/v1/demo');
    const projects = (await call('GET', '/api/v1/projects')).items as {
      code: string;
      name: string;
    }[];
    const builds = (await call('GET', '/api/v1/builds')).items as {
      code: string;
      status: string;
      project: { name: string };
    }[];
    const build = (project: string, status: string) =>
      builds.find((b) => b.project.name === project && b.status === status)!.code;
    const finished = build('Sensor node', 'finished');
    const [shipment] = (await call('GET', '/api/v1/shipments')).items as { code: string }[];
    const shipped = await call('GET', `/api/v1/shipments/${shipment!.code}`);
    const [mcu] = (await call('GET', '/api/v1/parts?q=STM32G031K8T6')).items as {
      code: string;
    }[];
    const [reel] = (await call('GET', `/api/v1/stock?part=${mcu!.code}`)).items as {
      lot: { code: string };
    }[];
    demo = {
      code: (name) => projects.find((p) => p.name === name)!.code,
      unit: shipped.units[0].code,
      units: (await call('GET', `/api/v1/builds/${finished}/units`)).items.map(
        (u: { code: string }) => u.code,
      ),
      reel: reel!.lot.code,
      modules: build('Power module 5 V', 'finished'),
      finished,
      running: build('Sensor node', 'in_progress'),
    };
    await session.logIn('/parts');
    phone = await (await session.browser.newContext(PHONE)).newPage();
    await session.logIn('/scan', phone);
  }, E2E_TIMEOUT);
  afterAll(() => session?.close());

  it('receiving: bag labels scanned one after another become rows', async () => {
    await open(desk, '/receive?mode=many');
    const box = desk.getByLabel('Scan a bag label', { exact: true });
    for (const label of [LCSC_LABEL, TME_LABEL]) {
      await box.pressSequentially(label, { delay: 1 });
      await box.press('Enter');
    }
    await expectText(desk.getByRole('status'), /Row 2: 100 × new part 1825910-6/);
    await shoot(desk, 'receive-scan');
  });

  it('BOMs and stages: the sensor node’s BOM from KiCad, in named stages', async () => {
    await open(desk, objectUrl('', demo.code('Sensor node')));
    await desk.getByText('STM32G031K8T6').first().waitFor();
    await shoot(desk, 'project-bom');
  });

  it('a serialized multi-stage build: the build in progress', async () => {
    await open(desk, objectUrl('', demo.running));
    await shoot(desk, 'build-in-progress');
    await open(phone, `/builds/${demo.running}/pick`);
    await phone.getByRole('checkbox').first().waitFor();
    await phone.getByRole('checkbox').first().check();
    await shoot(phone, 'pick-list-phone');
  });

  it('labels and scanning: unit labels, then a unit scanned on a phone', async () => {
    await open(desk, `/labels?build=${demo.finished}`);
    await desk.getByRole('button', { name: 'Preview', exact: true }).click();
    await desk.getByTestId('label-count').waitFor();
    await shoot(desk, 'labels');
    await open(phone, '/scan');
    await phone.getByLabel('Continuous: add each scanned unit to a list').check();
    const box = phone.getByLabel('Scanned text', { exact: true });
    for (const unit of demo.units) {
      await box.fill(unit.slice(0, 8));
      await box.press('Enter');
    }
    await expectText(phone.getByTestId('collected-count'), '3 units collected');
    await shoot(phone, 'scan-phone');
  });

  it('tests: the power modules’ results, one failed', async () => {
    await open(desk, objectUrl('', demo.modules));
    await shoot(desk, 'build-tests');
  });

  it('shipping and returns: the returned and repaired unit on a phone', async () => {
    await open(phone, objectUrl('', demo.unit));
    await shoot(phone, 'unit-phone');
    await open(desk, '/shipments');
    await shoot(desk, 'shipments');
  });

  it('recall: everything a reel went into', async () => {
    await open(desk, `/recall/${demo.reel}`);
    await desk.getByText('Hold all matching stock…').waitFor();
    await shoot(desk, 'recall');
  });

  it('the guide shows every picture taken and no other', () => {
    const referenced = new Set(
      readdirSync(GUIDE)
        .filter((f) => f.endsWith('.md'))
        .flatMap((f) =>
          [...readFileSync(path.join(GUIDE, f), 'utf8').matchAll(/\]\(img\/([\w-]+\.png)\)/g)].map(
            (m) => m[1]!,
          ),
        ),
    );
    expect([...referenced].sort()).toEqual([...shots].sort());
    const committed = readdirSync(path.join(GUIDE, 'img')).filter((f) => f.endsWith('.png'));
    expect(committed.sort()).toEqual([...shots].sort());
  });
});
