/**
 * The floor of the build benchmarks: the rows a build writes (src/builds/: startBuild,
 * completeStage, the finish of a build run in one call), written the barest way —
 * bare prepared statements on SQLite, multi-row parameterized inserts on PostgreSQL — with
 * nothing read, checked or computed that can be known before the clock starts (the lots to
 * consume are picked beforehand). Each transaction ends with the change record the service's
 * would write (floorTransaction): the same events, ledger lines and unit states.
 */
import type { ChangeEvent, LedgerLine } from '../../src/domain/change-record.js';
import { newCode } from '../../src/domain/code.js';
import type { UnitState } from '../../src/domain/unit-state.js';
import { formatRanges, type SerialRange } from '../../src/domain/serial-ranges.js';
import type { BuildFixture, picksFor } from './build-fixture.js';
import { benchActor } from './dataset.js';
import { floorChangeRecord, type FloorHead } from './floor-change-record.js';
import {
  BALANCE_COLUMNS,
  ENTRY_COLUMNS,
  LOT_COLUMNS,
  OBJECT_CODE_COLUMNS,
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

/** What one transaction of the floor did, for its change record (as the service gathers it). */
export interface FloorChange {
  events: ChangeEvent[];
  ledger: LedgerLine[];
  states: [string, UnitState | null][];
}

/**
 * One transaction of the floor's writes, ending with its change record after `head` (one record
 * per transaction, as inTransaction writes it).
 */
export async function floorTransaction(
  w: FloorWriter,
  head: FloorHead,
  fn: (change: FloorChange) => Promise<void>,
): Promise<void> {
  await w.transaction(async () => {
    const change: FloorChange = { events: [], ledger: [], states: [] };
    const at = new Date().toISOString();
    await fn(change);
    await floorChangeRecord(w, head, { at, operation: change.events[0]!.type, ...change });
  });
}

/**
 * Starting a serialized build of `units`: the build and its BOM snapshot, one lot per unit with
 * its code, balance and `produced` entry, and for the change record the event, the entries and
 * the units' states. `finished`: the units are made on hand and available at once (a build run
 * in one call). Returns the build's code.
 */
export async function floorStart(
  w: FloorWriter,
  f: BuildFixture,
  units: number,
  finished: boolean,
  change: FloorChange,
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
  const unitState: UnitState = finished ? 'available' : 'in_production';
  await w.insert(
    'object_code',
    OBJECT_CODE_COLUMNS,
    codes.map((code) => [code, 'lot']),
  );
  await w.insert(
    'lot',
    LOT_COLUMNS,
    codes.map((code, i) => lotRow(code, f.output, at, { build, buildSerial: i + 1, unitState })),
  );
  await w.insert(
    'stock_balance',
    BALANCE_COLUMNS,
    codes.map((code) => [code, f.location, status, f.output, ONE]),
  );
  const produced = codes.map((code): LedgerLine => {
    return [operation, 'produced', code, f.output, f.location, status, ONE, build, ''];
  });
  await writeEntries(w, produced, at, change);
  change.events.push({
    subject: build,
    type: 'build_started',
    data: { bomRevision: 1, project: f.project, quantity: units, serialized: true },
  });
  change.states.push(...codes.map((code): [string, UnitState] => [code, unitState]));
  return build;
}

/**
 * Completing a stage for the units of `ranges`: the build marked as changed, the completion with
 * its ranges, the guarded decrements, one consumption row and one `consumed` entry per lot taken,
 * and for the change record the event and the entries.
 */
export async function floorComplete(
  w: FloorWriter,
  build: string,
  stage: number,
  ranges: SerialRange[],
  picks: ReturnType<typeof picksFor>,
  change: FloorChange,
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
  const consumed = picks.map((p): LedgerLine => {
    const { code, part, location } = p.lot;
    return [operation, 'consumed', code, part, location, 'on_hand', -p.quantity, build, ''];
  });
  await writeEntries(w, consumed, at, change);
  const units = ranges.reduce((n, r) => n + r.to - r.from + 1, 0);
  change.events.push({
    subject: build,
    type: 'stage_completed',
    data: { stage, units, serials: formatRanges(ranges) },
  });
}

/** Ledger entries: their stock_entry rows, and the lines the change record lists. */
async function writeEntries(w: FloorWriter, lines: LedgerLine[], at: string, change: FloorChange) {
  await w.insert(
    'stock_entry',
    ENTRY_COLUMNS,
    lines.map((line) => [...line, benchActor.code, benchActor.name, at]),
  );
  for (const line of lines) change.ledger.push(line);
}

/** Finishing a build whose output was made finished at once: its status and event. */
export async function floorFinish(
  w: FloorWriter,
  build: string,
  change: FloorChange,
): Promise<void> {
  const at = new Date().toISOString();
  await w.run(
    `update build set status = 'finished', finished_at = ?, updated_at = ? where code = ?`,
    [at, at, build],
  );
  change.events.push({ subject: build, type: 'build_finished', data: {} });
}
