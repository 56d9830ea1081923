import type { ApiSession } from './server.js';

export interface BuiltUnits {
  /** The part the units are built from, received at `location`. */
  board: { code: string; shortCode: string };
  /** The build's three units in serial order; the third is scrapped. */
  units: { code: string; label: string }[];
}

/**
 * Three available units to ship, scan and return: a "Monitor" project whose BOM takes one
 * "Main board", ten boards received at `location`, a build of three run through at once, and
 * its third unit scrapped (a unit that cannot be shipped).
 */
export async function buildThreeUnits(admin: ApiSession, location: string): Promise<BuiltUnits> {
  const board = await admin.call('POST', '/api/v1/parts', { name: 'Main board' });
  await admin.call('POST', '/api/v1/stock/receive', {
    items: [{ part: board.code, location, quantity: 10 }],
  });
  const project = await admin.call('POST', '/api/v1/projects', { name: 'Monitor' });
  await admin.call('PUT', `/api/v1/projects/${project.code}/bom`, {
    entries: [{ part: board.code, quantity: 1, designators: 'PCB1' }],
  });
  const build = await admin.call('POST', '/api/v1/builds', {
    project: project.code,
    quantity: 3,
    location,
    run: true,
  });
  const units = (await admin.call('GET', `/api/v1/builds/${build.code}/units`)).items;
  await admin.call('POST', `/api/v1/builds/${build.code}/units/${units[2]!.code}/scrap`, {
    reason: 'cracked case',
  });
  return { board, units };
}
