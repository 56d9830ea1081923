/**
 * The floor of the build benchmarks: the rows a build writes (src/builds/: startBuild,
 * completeStage, the finish of a build run in one call), written the barest way —
 * bare prepared statements on SQLite, multi-row parameterized inserts on PostgreSQL — with
 * nothing read, checked or computed that can be known before the clock starts (the lots to
 * consume are picked beforehand).
 */
import { newCode } from '../../src/domain/code.js';
import { formatRanges, type SerialRange } from '../../src/domain/serial-ranges.js';
import type { BuildFixture, picksFor } from './build-fixture.js';
import { benchActor } from './dataset.js';
import {
  BALANCE_COLUMNS,
  ENTRY_COLUMNS,
  HISTORY_COLUMNS,
  LOT_COLUMNS,
  OBJECT_CODE_COLUMNS,
  entryRow,
  historyRow,
  lotRow,
} from './floor-columns.js';
import type { FloorWriter } from './floor-writer.js';

const BUILD_COLUMNS = [
  'code',
  'project_code',
  'part_code',
  'location_code',
  'quantity',
  'serialized',
  'status',
  'picking',
  'exclude_tags',
  'notes',
  'finish_note',
  'created_at',
  'updated_at',
  'finished_at',
] as const;
const BUILD_ENTRY_COLUMNS = [
  'build_code',
  'entry_no',
  'part_code',
  'quantity',
  'designators',
  'substitutes',
  'allow_substitutes',
  'dnp',
  'stage',
  'attrition_ppm',
  'attrition_fixed',
] as const;
const COMPLETION_COLUMNS = [
  'build_code',
  'stage',
  'operation',
  'actor_code',
  'actor_name',
  'created_at',
] as const;
const CONSUMPTION_COLUMNS = [
  'completion_id',
  'build_code',
  'entry_no',
  'lot_code',
  'part_code',
  'quantity',
] as const;

const ONE = 1_000_000;

/**
 * Starting a serialized build of `units`: the build and its BOM snapshot, one lot per unit with
 * its code, balance and `produced` entry, and the history event. `finished`: the units are made
 * on hand and available at once (a build run in one call). Returns the build's code.
 */
export async function floorStart(
  w: FloorWriter,
  f: BuildFixture,
  units: number,
  finished: boolean,
): Promise<string> {
  const build = newCode();
  const operation = newCode();
  const at = new Date().toISOString();
  await w.insert('object_code', OBJECT_CODE_COLUMNS, [[build, 'build']]);
  await w.insert('build', BUILD_COLUMNS, [
    [
      build,
      f.project,
      f.output,
      f.location,
      units,
      1,
      'in_progress',
      'fifo',
      '[]',
      '',
      '',
      at,
      at,
      null,
    ],
  ]);
  await w.insert(
    'build_entry',
    BUILD_ENTRY_COLUMNS,
    f.bom.map((e) => [
      build,
      e.entryNo,
      e.part,
      e.perUnit,
      `R${e.entryNo}`,
      '[]',
      1,
      0,
      e.stage,
      0,
      0,
    ]),
  );
  const codes = Array.from({ length: units }, () => newCode());
  const status = finished ? 'on_hand' : 'in_production';
  await w.insert(
    'object_code',
    OBJECT_CODE_COLUMNS,
    codes.map((code) => [code, 'lot']),
  );
  await w.insert(
    'lot',
    LOT_COLUMNS,
    codes.map((code, i) =>
      lotRow(code, f.output, at, {
        build,
        buildSerial: i + 1,
        unitState: finished ? 'available' : 'in_production',
      }),
    ),
  );
  await w.insert(
    'stock_balance',
    BALANCE_COLUMNS,
    codes.map((code) => [code, f.location, status, f.output, ONE]),
  );
  await w.insert(
    'stock_entry',
    ENTRY_COLUMNS,
    codes.map((lot) =>
      entryRow(
        operation,
        'produced',
        { lot, part: f.output, location: f.location, status },
        ONE,
        at,
        build,
      ),
    ),
  );
  await w.insert('history_event', HISTORY_COLUMNS, [
    historyRow(
      build,
      'build_started',
      { project: f.project, quantity: units, serialized: true },
      at,
    ),
  ]);
  return build;
}

/**
 * Completing a stage for the units of `ranges`: the build marked as changed, the completion with
 * its ranges, the guarded decrements, one consumption row and one `consumed` entry per lot taken,
 * and the history event.
 */
export async function floorComplete(
  w: FloorWriter,
  build: string,
  stage: number,
  ranges: SerialRange[],
  picks: ReturnType<typeof picksFor>,
): Promise<void> {
  const operation = newCode();
  const at = new Date().toISOString();
  await w.run(`update build set updated_at = ? where code = ? and status = 'in_progress'`, [
    at,
    build,
  ]);
  const id = await w.insertReturningId('completion', COMPLETION_COLUMNS, [
    build,
    stage,
    operation,
    benchActor.code,
    benchActor.name,
    at,
  ]);
  await w.insert(
    'completion_range',
    ['completion_id', 'from_serial', 'to_serial'],
    ranges.map((r) => [id, r.from, r.to]),
  );
  for (const p of picks) await w.take(p.lot.code, p.lot.location, p.quantity);
  await w.insert(
    'consumption',
    CONSUMPTION_COLUMNS,
    picks.map((p) => [id, build, p.entryNo, p.lot.code, p.lot.part, p.quantity]),
  );
  await w.insert(
    'stock_entry',
    ENTRY_COLUMNS,
    picks.map((p) =>
      entryRow(
        operation,
        'consumed',
        { lot: p.lot.code, part: p.lot.part, location: p.lot.location, status: 'on_hand' },
        -p.quantity,
        at,
        build,
      ),
    ),
  );
  const units = ranges.reduce((n, r) => n + r.to - r.from + 1, 0);
  await w.insert('history_event', HISTORY_COLUMNS, [
    historyRow(build, 'stage_completed', { stage, units, serials: formatRanges(ranges) }, at),
  ]);
}

/** Finishing a build whose output was made finished at once: its status and history. */
export async function floorFinish(w: FloorWriter, build: string): Promise<void> {
  const at = new Date().toISOString();
  await w.run(
    `update build set status = 'finished', finished_at = ?, updated_at = ? where code = ?`,
    [at, at, build],
  );
  await w.insert('history_event', HISTORY_COLUMNS, [historyRow(build, 'build_finished', {}, at)]);
}
