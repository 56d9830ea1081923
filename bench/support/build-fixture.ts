import { createContext, type Context } from '../../src/context.js';
import { migrateToLatest, type DatabaseHandle } from '../../src/db/database.js';
import { QUANTITY_SCALE } from '../../src/domain/quantity.js';
import { createLocation } from '../../src/locations/location.service.js';
import { receiveStock } from '../../src/stock/stock.service.js';
import { makeProject } from '../../test/support/build-factories.js';
import { benchActor } from './dataset.js';
import { readFloorHead, type FloorHead } from './floor-change-record.js';

/** A source lot of a BOM entry, as the builds' FIFO picking orders them. */
export interface SourceLot {
  code: string;
  location: string;
  part: string;
  /** Millionths on hand. */
  quantity: number;
}

export interface BomLine {
  entryNo: number;
  part: string;
  stage: number;
  /** Millionths per unit built. */
  perUnit: number;
  /** Oldest first (FIFO), ties by code: the order the service picks them in. */
  lots: SourceLot[];
}

export interface BuildFixture {
  handle: DatabaseHandle;
  ctx: Context;
  project: string;
  /** The sub-assembly part the project's builds produce. */
  output: string;
  location: string;
  bom: BomLine[];
  /** The chain head after the fixture was made: the floor appends its change records after it. */
  head: FloorHead;
}

export interface FixtureOptions {
  entries: number;
  /** Stage of each entry (1-based position → stage). */
  stageOf: (entryNo: number) => number;
  /** Source lots per entry, each holding `lotUnits` pieces. */
  lotsPerEntry: number;
  lotUnits: number;
}

/**
 * A migrated database with a project whose BOM has `entries` lines of one piece per unit, each
 * stocked with `lotsPerEntry` lots at one location (not timed).
 */
export async function prepareBuildFixture(
  handle: DatabaseHandle,
  options: FixtureOptions,
): Promise<BuildFixture> {
  await migrateToLatest(handle.db);
  const ctx = createContext(handle.db);
  const db = handle.db;
  const location = (await createLocation(ctx, benchActor, { name: 'Bench line' })).code;
  // Project and BOM through the projects services, as the tests make them (not timed).
  const made = await makeProject(
    ctx,
    Array.from({ length: options.entries }, (_, i) => ({ stage: options.stageOf(i + 1) })),
    'Bench board',
  );
  const { code: project, part: output, parts } = made;
  await receiveStock(
    ctx,
    benchActor,
    parts.flatMap((part) =>
      Array.from({ length: options.lotsPerEntry }, () => ({
        part,
        location,
        quantity: options.lotUnits,
      })),
    ),
  );
  const balances = await db
    .selectFrom('stock_balance as b')
    .innerJoin('lot', 'lot.code', 'b.lot_code')
    .select(['b.lot_code', 'b.location_code', 'b.part_code', 'b.quantity', 'lot.created_at'])
    .where('b.status', '=', 'on_hand')
    .execute();
  const fifo = [...balances].sort((a, b) =>
    a.created_at !== b.created_at
      ? a.created_at < b.created_at
        ? -1
        : 1
      : a.lot_code < b.lot_code
        ? -1
        : 1,
  );
  const bom = parts.map((part, i) => ({
    entryNo: i + 1,
    part,
    stage: options.stageOf(i + 1),
    perUnit: QUANTITY_SCALE,
    lots: fifo
      .filter((b) => b.part_code === part)
      .map((b) => ({
        code: b.lot_code,
        location: b.location_code,
        part: b.part_code,
        quantity: Number(b.quantity),
      })),
  }));
  return { handle, ctx, project, output, location, bom, head: await readFloorHead(db) };
}

/** What completing `stage` for `units` takes, lot by lot, in the order the service takes it. */
export function picksFor(bom: BomLine[], stage: number, units: number) {
  const picks: { entryNo: number; lot: SourceLot; quantity: number }[] = [];
  for (const line of bom.filter((l) => l.stage === stage)) {
    let need = units * line.perUnit;
    for (const lot of line.lots) {
      const take = Math.min(need, lot.quantity);
      if (take > 0) picks.push({ entryNo: line.entryNo, lot, quantity: take });
      need -= take;
    }
    if (need > 0) throw new Error(`bench fixture: entry ${line.entryNo} is short of stock`);
  }
  return picks;
}

/**
 * What a build leaves in the database, as numbers per table (and per ledger entry type, and the
 * stock on hand): the floor must leave exactly the same as the service. `scalar` runs one
 * `select … ` of one value. The change log too: both write one record per transaction with the
 * same objects and content of the same length (codes, times and stamps are of fixed length).
 */
export async function snapshot(
  scalar: (sql: string) => Promise<unknown> | unknown,
): Promise<Record<string, number>> {
  const queries: Record<string, string> = {
    object_code: 'select count(*) from object_code',
    lot: 'select count(*) from lot',
    units: 'select count(*) from lot where build_serial is not null',
    stock_balance: 'select count(*) from stock_balance',
    'stock on hand':
      "select coalesce(sum(quantity), 0) from stock_balance where status = 'on_hand'",
    'stock in production':
      "select coalesce(sum(quantity), 0) from stock_balance where status = 'in_production'",
    stock_entry: 'select count(*) from stock_entry',
    'stock_entry produced': "select count(*) from stock_entry where type = 'produced'",
    'stock_entry consumed': "select count(*) from stock_entry where type = 'consumed'",
    build: 'select count(*) from build',
    'build finished': "select count(*) from build where status = 'finished'",
    build_entry: 'select count(*) from build_entry',
    completion: 'select count(*) from completion',
    completion_range: 'select count(*) from completion_range',
    consumption: 'select count(*) from consumption',
    change_record: 'select count(*) from change_record',
    change_object: 'select count(*) from change_object',
    'change_record content': 'select coalesce(sum(length(content)), 0) from change_record',
  };
  const result: Record<string, number> = {};
  for (const [name, sql] of Object.entries(queries)) result[name] = Number(await scalar(sql));
  return result;
}

/** Throws unless the floor left what the service left. */
export function checkSame(
  label: string,
  service: Record<string, number>,
  floor: Record<string, number>,
): void {
  const differ = Object.keys(service).filter((k) => service[k] !== floor[k]);
  if (differ.length > 0) {
    throw new Error(
      `${label}: the floor did not write the rows the service wrote: ${differ
        .map((k) => `${k} ${floor[k]} (service ${service[k]})`)
        .join(', ')}`,
    );
  }
}
