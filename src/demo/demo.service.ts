import { listBuildUnits } from '../builds/build-view.service.js';
import { finishBuild, startBuild } from '../builds/build.service.js';
import { installUnit } from '../builds/installation.service.js';
import { completeStage } from '../builds/stage-completion.service.js';
import type { Context } from '../context.js';
import { ConflictError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { createLabelTemplate } from '../labels/label-template.service.js';
import { createLocation } from '../locations/location.service.js';
import { createPart, listParts, updatePart } from '../parts/part.service.js';
import { importBom } from '../projects/bom-import.service.js';
import { addStage } from '../projects/bom-stage.service.js';
import { createProject, listProjects } from '../projects/project.service.js';
import { receiveStock } from '../stock/stock.service.js';
import { recordTestResult } from '../test-results/test-result.service.js';
import { createTestTemplate } from '../test-results/test-template.service.js';
import { releaseUnit, returnUnit, startRepair } from '../units/lifecycle.service.js';
import { addServiceEvent } from '../units/service-event.service.js';
import { createShipment } from '../units/shipping.service.js';
import {
  DEMO_REELS,
  DEMO_SUPPLIER_PARTS,
  POWER_MODULE_BOM,
  POWER_MODULE_MPN,
  SENSOR_NODE_BOM,
} from './demo-data.js';
import type { DemoSummary } from './demo.schemas.js';

/**
 * Fills an empty instance with a small company's records, made through the same services a
 * person uses (so the change log, history and DHR hold them as any other): two KiCad-imported
 * boards, reels with vendor lots and date codes, a serialized power-module build with one
 * failed test, a four-stage sensor-node build (one a documentation stage) finished with the modules installed, one in
 * progress, a shipment, a return and a repair, and label templates. Refused when the instance
 * holds parts or projects: the demo never mixes with real records.
 */
export async function loadDemo(
  ctx: Context,
  actor: Actor,
  progress: (step: string) => void = () => {},
): Promise<DemoSummary> {
  const parts = await listParts(ctx, { limit: 1, archived: 'any' });
  const projects = await listProjects(ctx, { limit: 1, archived: 'any' });
  if (parts.total > 0 || projects.total > 0)
    throw new ConflictError(
      `the demo loads into an empty instance only; this one has ${parts.total} part(s) and ${projects.total} project(s)`,
    );

  progress('locations');
  const place = async (name: string, description: string) =>
    (await createLocation(ctx, actor, { name, description })).code;
  const shelf = {
    A: await place('Stores A', 'Reel rack A: passives'),
    B: await place('Stores B', 'Dry cabinet B: ICs and connectors'),
  };
  const line = await place('SMT line', 'Pick-and-place, reflow');
  const bench = await place('Test bench', 'Functional test and repair');
  const goods = await place('Finished goods', 'Packed, ready to ship');

  progress('projects and BOMs');
  const modulePart = await createPart(ctx, actor, {
    name: 'Power module 5 V',
    description: 'Buck converter module, 5 V 1 A',
    kind: 'sub_assembly',
    manufacturer: 'Tracelot Demo',
    mpn: POWER_MODULE_MPN,
  });
  const powerModule = await createProject(ctx, actor, {
    name: 'Power module 5 V',
    description: 'In-house buck converter module, installed in the sensor node',
    part: modulePart.code,
  });
  const sensorNode = await createProject(ctx, actor, {
    name: 'Sensor node',
    description: 'Environmental sensor board, rev B',
    notes: 'SMT, then the connectors by hand, then the power module, then a final inspection.',
  });
  const partOf = new Map<string, string>();
  for (const [project, csv] of [
    [powerModule.code, POWER_MODULE_BOM],
    [sensorNode.code, SENSOR_NODE_BOM],
  ] as const) {
    const imported = await importBom(ctx, actor, project, { csv, createParts: true, commit: true });
    for (const l of imported.lines) if (l.part) partOf.set(l.mpn, l.part.code);
  }
  // A stage that places no parts: what the inspector signs off.
  await addStage(ctx, actor, sensorNode.code, { name: 'Final inspection', documentation: true });
  for (const [mpn, suppliers] of Object.entries(DEMO_SUPPLIER_PARTS))
    await updatePart(ctx, actor, partOf.get(mpn)!, { suppliers });

  progress('receiving reels');
  const received = await receiveStock(
    ctx,
    actor,
    DEMO_REELS.map((reel) => ({
      part: partOf.get(reel.mpn)!,
      location: shelf[reel.shelf],
      quantity: reel.quantity,
      lot: { vendorLot: reel.vendorLot, dateCode: reel.dateCode, orderRef: reel.orderRef },
    })),
  );

  progress('test plans and labels');
  await createTestTemplate(ctx, actor, modulePart.code, {
    key: 'vout',
    name: 'Output voltage',
    valueType: 'number',
    unit: 'V',
    min: '4.9',
    max: '5.1',
  });
  await createTestTemplate(ctx, actor, sensorNode.part.code, {
    key: 'functional',
    name: 'Functional test',
    description: 'Boots, reads the sensor, answers on USB',
  });
  await createLabelTemplate(ctx, actor, {
    name: 'Unit label 62 mm',
    media: 'tape-62x29',
    symbology: 'qr',
    lines: [
      { parts: ['partName'], bold: true },
      { parts: [{ text: 'S/N ' }, 'buildSerial'] },
      { parts: ['shortCode'] },
    ],
  });

  progress('power module build');
  const modules = await startBuild(ctx, actor, {
    project: powerModule.code,
    quantity: 6,
    location: bench,
    notes: 'First production batch',
    run: true,
  });
  const moduleUnits = (await listBuildUnits(ctx, modules.code, {})).items;
  const volts = [5.01, 4.98, 5.03, 5.0, 5.32, 4.99];
  for (const [i, unit] of moduleUnits.entries())
    await recordTestResult(ctx, actor, unit.code, {
      key: 'vout',
      value: volts[i]!,
      station: 'ATE-1',
      operator: 'Dana',
      notes: volts[i]! > 5.1 ? 'Overvoltage: feedback divider suspected' : '',
    });

  progress('sensor node builds');
  const finished = await startBuild(ctx, actor, {
    project: sensorNode.code,
    quantity: 3,
    location: goods,
    notes: 'Pilot run for Acme',
  });
  const nodes = (await listBuildUnits(ctx, finished.code, {})).items;
  await completeStage(ctx, actor, finished.code, 1, { note: 'Reflow profile B, peak 245 °C' });
  await completeStage(ctx, actor, finished.code, 2, { note: 'Connectors hand-soldered' });
  // Stage 3 is the power module: a unit each, installed (one-to-one, traced both ways).
  const goodModules = moduleUnits.filter((_, i) => volts[i]! <= 5.1);
  for (const [i, node] of nodes.entries())
    await installUnit(ctx, actor, { child: goodModules[i]!.code, parent: node.code });
  await completeStage(ctx, actor, finished.code, 4, { note: 'Solder joints and labels checked' });
  await finishBuild(ctx, actor, finished.code, {
    allowIncomplete: true,
    note: 'Final assembly done by installing the power modules',
  });
  for (const node of nodes)
    await recordTestResult(ctx, actor, node.code, {
      key: 'functional',
      value: true,
      station: 'Bench 2',
      operator: 'Sam',
    });

  const inProgress = await startBuild(ctx, actor, {
    project: sensorNode.code,
    quantity: 5,
    location: line,
    notes: 'Second batch',
  });
  await completeStage(ctx, actor, inProgress.code, 1, {
    units: [{ from: 1, to: 3 }],
    note: 'Units 4 and 5 wait for the next reflow slot',
  });

  progress('shipping, a return and a repair');
  const shipment = await createShipment(ctx, actor, {
    customer: 'Acme Instruments',
    reference: 'SO-1042',
    units: [nodes[0]!.code, nodes[1]!.code],
    note: 'Courier, tracking 1Z999AA10123456784',
  });
  const returned = nodes[0]!.code;
  await returnUnit(ctx, actor, returned, {
    reason: 'No sensor readings after installation',
    location: bench,
  });
  await startRepair(ctx, actor, returned, { note: 'Bench 2' });
  await addServiceEvent(ctx, actor, returned, {
    type: 'repair',
    text: 'U2 (BME280) reflowed: one pad was open. Retested.',
  });
  await recordTestResult(ctx, actor, returned, {
    key: 'functional',
    value: true,
    station: 'Bench 2',
    operator: 'Sam',
    notes: 'after repair',
  });
  await releaseUnit(ctx, actor, returned, { note: 'Repaired and retested' });

  return {
    parts: partOf.size + 1,
    lots: received.lots.length,
    projects: { powerModule: powerModule.code, sensorNode: sensorNode.code },
    builds: { powerModules: modules.code, finished: finished.code, inProgress: inProgress.code },
    shipment: shipment.code,
    returnedUnit: returned,
  };
}
