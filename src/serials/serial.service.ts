import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { mapUniqueViolation, violatedUnique } from '../db/errors.js';
import { parseCode, parseCodeOrPrefix, shortCode } from '../domain/code.js';
import { groupBy } from '../domain/collections.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import {
  checkReset,
  parseSerialPattern,
  renderSerial,
  serialPeriod,
  type SerialPattern,
} from '../domain/serial-format.js';
import { selectUnits } from '../domain/unit-refs.js';
import { parseInput } from '../domain/validate.js';
import { kindOfCode } from '../db/object-code.repository.js';
import { upsertFields } from '../attributes/attribute.repository.js';
import { writeLotNames } from '../lots/lot.repository.js';
import { getPartRow } from '../parts/part.service.js';
import { applyEdit } from '../history/apply-edit.js';
import { appendHistory } from '../history/history.repository.js';
import {
  AssignSerials,
  SerialFormatCreate,
  SerialFormatQuery,
  SerialFormatUpdate,
  SerialPreviewQuery,
  SerialPreviewRequest,
  type AssignResult,
  type SerialFormat,
  type SerialFormatPage,
  type SerialPreview,
  type UnitSerial,
} from './serial.schemas.js';
import {
  FORMAT_NAME_INDEX,
  countAssigned,
  findFormatByName,
  findFormatRow,
  insertFormat,
  insertSerials,
  listFormatRows,
  lotsByCodes,
  peekNumber,
  serialsOfLot,
  skipUsedNumbers,
  takeNumbers,
  unitsOfBuild,
  updateFormatRow,
  type CounterKey,
  type CustomerSerialRow,
  type SerialFormatRow,
  type UnitRow,
} from './serial.repository.js';

/**
 * How often one assignment takes new numbers when some it took were used already. The first
 * conflict moves the counter past every number used (skipUsedNumbers), so a second round
 * normally succeeds; the bound turns a surprise into an error instead of a loop.
 */
const MAX_ROUNDS = 5;
/** Serials listed in an assignment's answer. */
const LISTED = 1000;

export async function createSerialFormat(
  ctx: Context,
  actor: Actor,
  input: SerialFormatCreate,
): Promise<SerialFormat> {
  const data = parseInput(SerialFormatCreate, input);
  checkReset(parseSerialPattern(data.pattern), data.reset);
  if (data.target === 'field' && !data.fieldName)
    throw new ValidationError('fieldName', 'is required when target is field');
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const part =
      data.part === undefined ? null : (await getPartRow(withDb(ctx, db), data.part, 'part')).code;
    if (await findFormatByName(db, data.name)) throw nameTaken(data.name);
    await mapUniqueViolation(
      insertFormat(db, {
        code,
        name: data.name,
        pattern: data.pattern,
        scope: data.scope,
        part_code: part,
        reset: data.reset,
        target: data.target,
        field_name: data.target === 'field' ? data.fieldName! : '',
        archived: 0,
        created_at: at,
        updated_at: at,
      }),
      FORMAT_NAME_INDEX,
      () => nameTaken(data.name),
    );
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { name: data.name, pattern: data.pattern } },
    ]);
  });
  return getSerialFormat(ctx, code);
}

export async function updateSerialFormat(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: SerialFormatUpdate,
): Promise<SerialFormat> {
  const data = parseInput(SerialFormatUpdate, input);
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getFormatRow(withDb(ctx, db), ref);
    const target = data.target ?? row.target;
    const fieldName = data.fieldName ?? (target === 'field' ? row.field_name : '');
    if (target === 'field' && !fieldName)
      throw new ValidationError('fieldName', 'is required when target is field');
    if (data.name !== undefined && data.name.toLowerCase() !== row.name.toLowerCase()) {
      if (await findFormatByName(db, data.name)) throw nameTaken(data.name);
    }
    await applyEdit(
      db,
      actor,
      at,
      row,
      {
        columns: {
          name: data.name,
          target,
          field_name: target === 'field' ? fieldName : '',
        },
        attributes: {},
        archived: data.archived,
        names: { field_name: 'fieldName' },
      },
      (set) =>
        mapUniqueViolation(updateFormatRow(db, row.code, set), FORMAT_NAME_INDEX, () =>
          nameTaken(data.name ?? ''),
        ),
    );
    return row.code;
  });
  return getSerialFormat(ctx, code);
}

export async function getSerialFormat(ctx: Context, ref: string): Promise<SerialFormat> {
  const row = await getFormatRow(ctx, ref);
  return toFormat(row, (await countAssigned(ctx.db, [row.code])).get(row.code) ?? 0);
}

export async function listSerialFormats(
  ctx: Context,
  input: SerialFormatQuery,
): Promise<SerialFormatPage> {
  const query = parseInput(SerialFormatQuery, input);
  const { rows, total } = await listFormatRows(ctx.db, query);
  const counts = await countAssigned(
    ctx.db,
    rows.map((r) => r.code),
  );
  return {
    items: rows.map((r) => toFormat(r, counts.get(r.code) ?? 0)),
    total,
    limit: query.limit,
    offset: query.offset,
  };
}

/** Serials a pattern would give (counter from 1, build ABCD1234, units 1, 2, …): changes nothing. */
export function previewPattern(ctx: Context, input: unknown): SerialPreview {
  const data = parseInput(SerialPreviewRequest, input);
  const pattern = parseSerialPattern(data.pattern);
  checkReset(pattern, data.reset);
  const date = ctx.clock();
  return {
    serials: Array.from({ length: data.count }, (_, i) =>
      renderSerial(pattern, { date, seq: i + 1, build: 'ABCD1234', n: i + 1 }),
    ),
    note: 'today, counter from 1, an example build ABCD1234 with units 1, 2, …',
  };
}

/** The next serials of a saved format, from its counter as it stands: consumes no number. */
export async function previewFormat(
  ctx: Context,
  ref: string,
  input: unknown,
): Promise<SerialPreview> {
  const data = parseInput(SerialPreviewQuery, input);
  const row = await getFormatRow(ctx, ref);
  const pattern = parseSerialPattern(row.pattern);
  const date = ctx.clock();
  let scope = '';
  if (row.scope === 'part') {
    const part = data.part ?? row.part_code;
    if (!part) throw new ValidationError('part', 'is required: the format counts per part');
    scope = (await getPartRow(ctx, part, 'part')).code;
  }
  const first = await peekNumber(ctx.db, {
    format: row.code,
    scope,
    period: serialPeriod(pattern, row.reset, date),
  });
  return {
    serials: Array.from({ length: data.count }, (_, i) =>
      renderSerial(pattern, { date, seq: first + i, build: 'ABCD1234', n: i + 1 }),
    ),
    note: `today, counter from ${first}${pattern.seqWidth === null ? ', an example build ABCD1234' : ''}`,
  };
}

/**
 * Gives customer serials to units: every unit of a build that has none of this format yet, or
 * the units chosen. Numbers come from the format's counter in one block per scope; the unique
 * constraint on (format, scope, value) is what guarantees no duplicate — also against a counter
 * set back by a restore, whose used numbers are skipped. Joins the caller's transaction (a build
 * start assigns in its own).
 */
export async function assignSerials(
  ctx: Context,
  actor: Actor,
  formatRef: string,
  input: AssignSerials,
  formatField = 'format',
): Promise<AssignResult> {
  const data = parseInput(AssignSerials, input);
  if (data.build === undefined && data.units === undefined)
    throw new ValidationError('build', 'name a build, units, or both');
  const at = now(ctx);
  const date = ctx.clock();
  return inTransaction(ctx.db, async (db) => {
    const format = await getFormatRow(withDb(ctx, db), formatRef, formatField);
    if (format.archived)
      throw new ConflictError(`serial format '${format.name}' is archived`, formatField);
    const pattern = parseSerialPattern(format.pattern);
    const chosen = await chooseUnits(db, format, data, formatField);
    const todo = chosen.filter((u) => u.serial === null);
    if (todo.length === 0)
      throw new ConflictError(
        `every chosen unit has a serial of '${format.name}' already`,
        data.units ? 'units' : 'build',
      );
    const rows: CustomerSerialRow[] = [];
    const period = serialPeriod(pattern, format.reset, date);
    const byScope = groupBy(todo, (u) => (format.scope === 'part' ? u.part_code : ''));
    // Counters are locked in one order (by scope), so two requests never wait on each other.
    const scopes = [...byScope].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [scope, units] of scopes) {
      const key = { format: format.code, scope, period };
      const given = await giveSerials(db, key, pattern, date, units, (u, value, seq) => ({
        format_code: format.code,
        lot_code: u.code,
        scope_key: scope,
        period,
        seq,
        value,
        assigned_at: at,
        actor_code: actor.code,
        actor_name: actor.name,
      }));
      rows.push(...given);
    }
    const lots = rows.map((r) => r.lot_code);
    if (format.target === 'name') await writeLotNames(db, format.code, lots, at);
    else
      await upsertFields(
        db,
        rows.map((r) => ({ object_code: r.lot_code, key: format.field_name, value: r.value })),
      );
    await appendHistory(
      db,
      actor,
      at,
      rows.map((r) => ({
        subjectCode: r.lot_code,
        type: 'serial_assigned',
        data: { format: format.code, serial: r.value, target: format.target },
      })),
    );
    const serialOf = new Map(rows.map((r) => [r.lot_code, r.value]));
    return {
      format: { code: format.code, name: format.name },
      assigned: rows.length,
      skipped: chosen.length - todo.length,
      items: todo.slice(0, LISTED).map((u) => ({
        unit: u.code,
        buildSerial: u.build_serial,
        serial: serialOf.get(u.code)!,
      })),
    };
  });
}

/**
 * Inserts a serial for each unit. With a counter: takes a block, inserts, and for the units
 * whose number was used already (a restored counter) skips past the used numbers and takes
 * another block. Without one ({BUILD}-{N}) a used serial is a conflict.
 */
async function giveSerials(
  db: Database,
  key: CounterKey,
  pattern: SerialPattern,
  date: Date,
  units: UnitRow[],
  toRow: (u: UnitRow, value: string, seq: number | null) => CustomerSerialRow,
): Promise<CustomerSerialRow[]> {
  const valuesOf = (u: UnitRow, seq: number | undefined) => {
    return renderSerial(pattern, {
      date,
      ...(seq === undefined ? {} : { seq }),
      build: shortCode(u.build_code ?? ''),
      n: u.build_serial ?? 0,
    });
  };
  const given: CustomerSerialRow[] = [];
  let remaining = units;
  for (let round = 1; remaining.length > 0; round++) {
    if (round > MAX_ROUNDS)
      throw new ConflictError(
        'could not find unused serials; try again (other requests are taking them)',
        'format',
      );
    const first = pattern.seqWidth === null ? null : await takeNumbers(db, key, remaining.length);
    const rows = remaining.map((u, i) =>
      toRow(
        u,
        valuesOf(u, first === null ? undefined : first + i),
        first === null ? null : first + i,
      ),
    );
    const inserted = await insertOnce(db, rows);
    given.push(...rows.filter((r) => inserted.has(r.lot_code)));
    remaining = remaining.filter((u) => !inserted.has(u.code));
    if (remaining.length === 0) break;
    if (first === null) {
      const taken = rows.find((r) => !inserted.has(r.lot_code))!;
      throw new ConflictError(`serial '${taken.value}' is given to another unit already`, 'units');
    }
    await skipUsedNumbers(db, key);
  }
  return given;
}

async function insertOnce(db: Database, rows: CustomerSerialRow[]): Promise<Set<string>> {
  try {
    return await insertSerials(db, rows);
  } catch (error) {
    // Value conflicts are skipped by the insert; what is left is the primary key.
    if (violatedUnique(error) !== undefined)
      throw new ConflictError(
        'a chosen unit got a serial of this format meanwhile; try again',
        'units',
      );
    throw error;
  }
}

async function chooseUnits(
  db: Database,
  format: SerialFormatRow,
  data: ReturnType<typeof AssignSerials.parse>,
  formatField: string,
): Promise<UnitRow[]> {
  let units: UnitRow[];
  if (data.build !== undefined) {
    const build = parseCode(data.build, 'build');
    const all = await unitsOfBuild(db, format.code, build);
    if (all.length === 0) {
      if ((await kindOfCode(db, build)) !== 'build')
        throw new NotFoundError('build', build, 'build');
      throw new ValidationError('build', 'the build has no units (it is not serialized)');
    }
    if (data.units === undefined) {
      units = all.filter((u) => u.unit_state !== 'scrapped');
    } else {
      units = selectUnits(all, data.units);
    }
  } else {
    const codes = data.units!.map((u, i) => {
      if (typeof u !== 'string')
        throw new ValidationError(`units.${i}`, 'build serials need a build: give build too');
      return parseCode(u, `units.${i}`);
    });
    const unique = [...new Set(codes)];
    units = await lotsByCodes(db, format.code, unique);
    if (units.length !== unique.length) {
      const found = new Set(units.map((u) => u.code));
      throw new NotFoundError(
        'unit',
        unique.find((c) => !found.has(c))!,
        'units',
      );
    }
    const order = new Map(unique.map((c, i) => [c, i]));
    units.sort((a, b) => order.get(a.code)! - order.get(b.code)!);
  }
  for (const u of units) {
    if (u.build_serial === null)
      throw new ValidationError('units', `lot ${shortCode(u.code)} is not a unit of a build`);
    if (u.unit_state === 'scrapped' && data.units !== undefined)
      throw new ValidationError('units', `unit ${shortCode(u.code)} is scrapped`);
    if (format.part_code && u.part_code !== format.part_code)
      throw new ValidationError(
        data.units === undefined ? formatField : 'units',
        `unit ${shortCode(u.code)} is not a ${format.part_name ?? format.part_code}: the format is for that part only`,
      );
  }
  return units;
}

/** A unit's customer serials, one per format. */
export async function listUnitSerials(ctx: Context, lotRef: string): Promise<UnitSerial[]> {
  const lot = parseCode(lotRef, 'code');
  const rows = await serialsOfLot(ctx.db, lot);
  return rows.map((r) => ({
    format: { code: r.code, name: r.name },
    serial: r.value,
    assignedAt: r.assigned_at,
  }));
}

async function getFormatRow(ctx: Context, ref: string, field = 'code'): Promise<SerialFormatRow> {
  let code: string | undefined;
  try {
    const parsed = parseCodeOrPrefix(ref, field);
    if (parsed.type === 'code') code = parsed.code;
  } catch {
    // Not a code: a format may be named by its name too.
  }
  const row =
    (code === undefined ? undefined : await findFormatRow(ctx.db, code)) ??
    (ref.trim() ? await findFormatByName(ctx.db, ref.trim()) : undefined);
  if (!row) throw new NotFoundError('serial format', ref, field);
  return row;
}

function nameTaken(name: string): ConflictError {
  return new ConflictError(`a serial format named '${name}' exists already`, 'name');
}

function toFormat(row: SerialFormatRow, assigned: number): SerialFormat {
  return {
    code: row.code,
    shortCode: shortCode(row.code),
    name: row.name,
    pattern: row.pattern,
    scope: row.scope,
    part: row.part_code ? { code: row.part_code, name: row.part_name ?? '' } : null,
    reset: row.reset,
    target: row.target,
    fieldName: row.field_name,
    archived: row.archived === 1,
    assigned,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
