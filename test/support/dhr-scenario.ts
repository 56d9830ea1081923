import { Readable } from 'node:stream';
import type { FileStore } from '../../src/attachments/file-store.js';
import { uploadAttachment } from '../../src/attachments/attachment.service.js';
import { listBuildUnits } from '../../src/builds/build-view.service.js';
import { finishBuild, startBuild } from '../../src/builds/build.service.js';
import { installUnit } from '../../src/builds/installation.service.js';
import { completeStage } from '../../src/builds/stage-completion.service.js';
import { recordTestResult } from '../../src/test-results/test-result.service.js';
import { createTestTemplate } from '../../src/test-results/test-template.service.js';
import { addServiceEvent } from '../../src/units/service-event.service.js';
import { releaseUnit, returnUnit, startRepair } from '../../src/units/lifecycle.service.js';
import { createShipment } from '../../src/units/shipping.service.js';
import { receiveStock } from '../../src/stock/stock.service.js';
import { PNG } from './attachment-files.js';
import { makeProject } from './build-factories.js';
import { admin, makeLocation, type TestContext } from './factories.js';

/** A long note without a space in its middle: the PDF must wrap it, not cut it off. */
export const LONG_WORD = `wrap${'0123456789'.repeat(25)}end`;
export const LONG_TEXT = `${'The fan bearing was replaced and the housing cleaned. '.repeat(40)}${LONG_WORD}`;

/**
 * What a Device History Record shows, made through the services: a three-stage build of two
 * units from supplier lots with vendor lot, date code and order; stage notes; a power module
 * (a unit of another build) installed in unit 1; a number test with limits and further values;
 * a photo attached; unit 1 shipped, returned, repaired (a service event) and released.
 */
export async function dhrScenario(ctx: TestContext, files: FileStore) {
  const tag = Math.random().toString(36).slice(2, 8);
  const line = (await makeLocation(ctx)).code;
  const sub = await makeProject(ctx, [{ perUnit: 1 }], `Power module ${tag}`);
  await receive(ctx, sub.parts[0]!, line, 1, { vendorLot: `PM-VL-${tag}`, dateCode: '2451' });
  const subBuild = await startBuild(ctx, admin, {
    project: sub.code,
    quantity: 1,
    location: line,
    run: true,
  });
  const [module] = (await listBuildUnits(ctx, subBuild.code, {})).items;

  const top = await makeProject(
    ctx,
    [
      { stage: 1, perUnit: 1, designators: 'R1' },
      { stage: 2, perUnit: 2, designators: 'C1, C2' },
      { stage: 3, part: sub.part, designators: 'PM1' },
    ],
    `Controller ${tag}`,
  );
  const reels = {
    resistor: await receive(ctx, top.parts[0]!, line, 2, {
      vendorLot: `VL-R-${tag}`,
      dateCode: '2440',
      orderRef: `PO-R-${tag}`,
      name: `REEL-R-${tag}`,
    }),
    capacitor: await receive(ctx, top.parts[1]!, line, 4, {
      vendorLot: `VL-C-${tag}`,
      dateCode: '2502',
      orderRef: `PO-C-${tag}`,
    }),
  };
  const build = await startBuild(ctx, admin, {
    project: top.code,
    quantity: 2,
    location: line,
    notes: `Pilot run ${tag}`,
  });
  const units = (await listBuildUnits(ctx, build.code, {})).items;
  const [u1, u2] = units as [(typeof units)[number], (typeof units)[number]];
  ctx.clock.advance(60_000);
  await completeStage(ctx, admin, build.code, 1, {
    note: `Reflow profile B, peak ≤ 245 °C (Ω-safe) ${tag}`,
  });
  ctx.clock.advance(60_000);
  await completeStage(ctx, admin, build.code, 2, { note: `Hand-soldered caps ${tag}` });
  ctx.clock.advance(60_000);
  await installUnit(ctx, admin, { child: module!.code, parent: u1.code });
  await finishBuild(ctx, admin, build.code, {
    allowIncomplete: true,
    note: `Stage 3 by installation ${tag}`,
  });

  const template = await createTestTemplate(ctx, admin, top.part, {
    key: 'vout',
    name: 'Output voltage',
    valueType: 'number',
    unit: 'V',
    min: '4.9',
    max: '5.1',
  });
  const photo = await uploadAttachment(
    ctx,
    files,
    admin,
    { subject: u1.code, name: `front-${tag}.png`, note: `as built ${tag}` },
    Readable.from([PNG]),
  );
  ctx.clock.advance(60_000);
  const result = await recordTestResult(ctx, admin, u1.code, {
    key: template.key,
    value: 5.02,
    values: { ripple: 0.013, temperature: '23.5 C' },
    station: `ATE-${tag}`,
    operator: 'Dana',
    notes: `first article ${tag}`,
    attachment: photo.code,
  });
  ctx.clock.advance(60_000);
  const shipment = await createShipment(ctx, admin, {
    customer: `Acme ${tag}`,
    reference: `SO-${tag}`,
    units: [u1.code],
    note: `by courier ${tag}`,
  });
  ctx.clock.advance(60_000);
  await returnUnit(ctx, admin, u1.code, { reason: `no output ${tag}`, location: line });
  await startRepair(ctx, admin, u1.code, { note: `bench 2 ${tag}` });
  const repair = await addServiceEvent(ctx, admin, u1.code, { type: 'repair', text: LONG_TEXT });
  await releaseUnit(ctx, admin, u1.code, { note: `retested ${tag}` });
  return {
    tag,
    build,
    units: [u1, u2] as const,
    module: module!,
    reels,
    result,
    photo,
    shipment,
    repair,
  };
}

async function receive(
  ctx: TestContext,
  part: string,
  location: string,
  quantity: number,
  lot: { vendorLot?: string; dateCode?: string; orderRef?: string; name?: string },
): Promise<string> {
  const received = await receiveStock(ctx, admin, [{ part, location, quantity, lot }]);
  ctx.clock.advance(2);
  return received.lots[0]!.code;
}
