import { inChunks } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { parseJsonText } from '../db/json-text.js';
import { stockAsideOf } from '../stock/stock.repository.js';

/*
 * The reads of the Device History Record. It only reads, other features' tables included (in
 * joins of its own, as the architecture allows); each read takes a list of units, so the record
 * of a 1,000-unit build is a handful of statements per kind of fact, not one per unit.
 */

/** A unit with what its identity shows: part, build serial, state, GTIN for the UDI. */
export async function dhrUnitRows(db: Database, codes: readonly string[]) {
  return inChunks(codes, (chunk) =>
    db
      .selectFrom('lot')
      .innerJoin('part', 'part.code', 'lot.part_code')
      .select([
        'lot.code',
        'lot.name',
        'lot.expiry',
        'lot.created_at',
        'lot.build_code',
        'lot.build_serial',
        'lot.unit_state',
        'lot.part_code',
        'part.name as part_name',
        'part.mpn',
        'part.gtin',
        stockAsideOf,
      ])
      .where('lot.code', 'in', chunk)
      .execute(),
  );
}
export type DhrUnitRow = Awaited<ReturnType<typeof dhrUnitRows>>[number];

/** Every unit of a build, scrapped ones too (they keep their history), in serial order. */
export async function unitCodesOfBuild(db: Database, build: string): Promise<string[]> {
  const rows = await db
    .selectFrom('lot')
    .select('code')
    .where('build_code', '=', build)
    .where('unit_state', 'is not', null)
    .orderBy('build_serial')
    .execute();
  return rows.map((r) => r.code);
}

/** Test results of units, oldest first per unit, with their template's unit and limits. */
export async function dhrTestResults(db: Database, lots: readonly string[]) {
  const rows = await inChunks(lots, (chunk) =>
    db
      .selectFrom('test_result as r')
      .leftJoin('test_template as t', 't.code', 'r.template_code')
      .select([
        'r.id',
        'r.lot_code',
        'r.template_code',
        'r.key',
        'r.name',
        'r.result',
        'r.value_number',
        'r.value_text',
        'r.extra_values',
        'r.station',
        'r.operator',
        'r.started_at',
        'r.ended_at',
        'r.tested_at',
        'r.notes',
        'r.attachment_code',
        'r.voided_at',
        'r.voided_by_code',
        'r.voided_by',
        'r.void_reason',
        't.unit',
        't.min',
        't.max',
      ])
      .where('r.lot_code', 'in', chunk)
      .orderBy('r.lot_code')
      .orderBy('r.tested_at')
      .orderBy('r.id')
      .execute(),
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), extra_values: parseJsonText(r.extra_values) }));
}

export async function dhrServiceEvents(db: Database, lots: readonly string[]) {
  return inChunks(lots, (chunk) =>
    db
      .selectFrom('service_event')
      .selectAll()
      .where('lot_code', 'in', chunk)
      .orderBy('created_at')
      .orderBy('code')
      .execute(),
  );
}

/**
 * Installations, removed ones too, where the units are the parent (`side` parent_code) or the
 * child (child_code), each with the other unit's build serial and part.
 */
export async function dhrInstallations(
  db: Database,
  lots: readonly string[],
  side: 'parent_code' | 'child_code',
) {
  const other = side === 'parent_code' ? 'i.child_code' : 'i.parent_code';
  return inChunks(lots, (chunk) =>
    db
      .selectFrom('installation as i')
      .innerJoin('lot as o', 'o.code', other)
      .innerJoin('part as p', 'p.code', 'o.part_code')
      .select([
        `i.${side} as unit`,
        'o.code as other_code',
        'o.build_code',
        'o.build_serial',
        'p.name as part_name',
        'i.id',
        'i.entry_no',
        'i.installed_at',
        'i.installed_by',
        'i.removed_at',
        'i.removed_by',
        'i.removed_reason',
      ])
      .where(`i.${side}`, 'in', chunk)
      .orderBy('i.id')
      .execute(),
  );
}

/** Files attached to these objects and not removed, oldest first. */
export async function dhrAttachments(db: Database, subjects: readonly string[]) {
  return inChunks(subjects, (chunk) =>
    db
      .selectFrom('attachment')
      .selectAll()
      .where('subject_code', 'in', chunk)
      .where('removed_at', 'is', null)
      .orderBy('created_at')
      .orderBy('code')
      .execute(),
  );
}
