import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { parseJsonText } from '../db/json-text.js';
import { shortCode } from '../domain/code.js';
import {
  ConflictError,
  InsufficientStockError,
  ShortBuildError,
  ValidationError,
} from '../domain/errors.js';
import { stagesOf, unitsToComplete } from '../domain/build-progress.js';
import { QUANTITY_SCALE, formatQuantity } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import {
  formatRanges,
  inRanges,
  rangeSize,
  subtractRanges,
  toRanges,
  type SerialRange,
} from '../domain/serial-ranges.js';
import { codesOfRefs, type UnitRef } from '../domain/unit-refs.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { groupBy } from '../domain/collections.js';
import { recordMovements } from '../stock/ledger.js';
import { lotSummaries } from '../lots/lot.repository.js';
import { partNames } from '../parts/part.repository.js';
import {
  insertCompletion,
  insertConsumption,
  listBuildEntries,
  listBuildStages,
  listConsumption,
  lockBuildInProgress,
  unitSerialsByCode,
  type BuildEntryRow,
  type BuildRow,
} from './build.repository.js';
import { CompleteStage, type CompletionResult } from './build.schemas.js';
import { getBuildProgress, getBuildRow, toConsumed, today } from './build-view.service.js';
import { sourceEntries } from './sourcing.js';
import { anyUnitsOf, countInstalledPerUnit } from './installation.repository.js';

/*
 * Completing a stage: the one command that consumes parts into a build, with the checks it
 * needs (units named, units installed, stock taken meanwhile). lockBuild is here, not in
 * build.service.ts, because that module starts builds with `run` through completeStage: the
 * imports point one way.
 */

/**
 * Completes a stage for some units (default: every unit still missing it), consuming the stage's
 * entries from the lots chosen or picked. All or nothing; a unit completes a stage once.
 */
export async function completeStage(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  stage: number,
  input: CompleteStage,
): Promise<CompletionResult> {
  const data = parseInput(CompleteStage, input);
  if (!Number.isInteger(stage) || stage < 1)
    throw new ValidationError('stage', 'must be a whole number from 1');
  const at = now(ctx);
  const operation = ctx.newCode();
  const completion = await inTransaction(ctx.db, async (db) => {
    const build = await lockBuild(withDb(ctx, db), buildRef, at);
    const [entries, named] = await Promise.all([
      listBuildEntries(db, build.code),
      listBuildStages(db, build.code),
    ]);
    const stageEntries = entries.filter((e) => e.stage === stage);
    // A named stage without entries (documentation) is completed like any other.
    if (stageEntries.length === 0 && !named.some((s) => s.stage === stage)) {
      const stages = stagesOf([...entries, ...named]).join(', ');
      throw new ValidationError(
        'stage',
        `the build has no stage ${stage} (stages: ${stages || 'none'})`,
      );
    }
    const { ranges, units } = await readUnitsToComplete(db, build, stage, data.units);
    const sourcing = await sourceEntries(db, {
      entries: await withoutInstalled(db, build, stageEntries, ranges),
      units,
      picking: data.picking ?? build.picking,
      excludeTags: parseJsonText(build.exclude_tags),
      choices: data.lots,
      today: today(ctx),
      describe: false,
    });
    if (sourcing.shortages.length > 0) throw new ShortBuildError(sourcing.shortages);
    if (build.serialized) await refuseLooseUnits(db, sourcing.picks);
    const id = await insertCompletion(
      db,
      { build_code: build.code, stage, operation, actor, at, note: data.note },
      build.serialized ? ranges : [],
    );
    // Guarded: stock taken meanwhile by another request fails the whole completion.
    await recordMovements(
      db,
      { operation, type: 'consumed', actor, at, note: data.note, ref: build.code },
      sourcing.picks.map((p) => ({
        lot_code: p.lotCode,
        part_code: p.partCode,
        location_code: p.locationCode,
        status: 'on_hand',
        quantity: -p.quantity,
      })),
      (short) => {
        // The balance may serve several picks (two entries, or a substitute): name them all.
        const picks = sourcing.picks.filter(
          (p) => p.lotCode === short[0]!.lot_code && p.locationCode === short[0]!.location_code,
        );
        const needed = picks.reduce((n, p) => n + p.quantity, 0);
        return new InsufficientStockError(
          `lot ${shortCode(short[0]!.lot_code)} no longer holds ${formatQuantity(needed)} for ${
            picks.length === 1 ? 'entry' : 'entries'
          } ${picks.map((p) => p.entryNo).join(', ')}: it changed meanwhile; nothing was consumed`,
          'quantity',
        );
      },
    );
    await insertConsumption(
      db,
      sourcing.picks.map((p) => ({
        completion_id: id,
        build_code: build.code,
        entry_no: p.entryNo,
        lot_code: p.lotCode,
        part_code: p.partCode,
        quantity: p.quantity,
      })),
    );
    await appendHistory(db, actor, at, [
      {
        subjectCode: build.code,
        type: 'stage_completed',
        data: { stage, units, serials: build.serialized ? formatRanges(ranges) : 'all' },
      },
    ]);
    return { id, units, ranges, serialized: build.serialized === 1, code: build.code };
  });
  const consumed = toConsumed(await listConsumption(ctx.db, completion.code, completion.id), [
    { id: completion.id, ranges: completion.serialized ? completion.ranges : [] },
  ]);
  return {
    completion: completion.id,
    stage,
    units: completion.units,
    serials: completion.serialized ? formatRanges(completion.ranges) : 'all',
    consumed,
  };
}

/**
 * The build, locked against other changes until the transaction ends: refused unless it is in
 * progress. Every command on a build in progress starts here (finish and cancel too).
 */
export async function lockBuild(ctx: Context, ref: string, at: string): Promise<BuildRow> {
  const build = await getBuildRow(ctx, ref);
  if (!(await lockBuildInProgress(ctx.db, build.code, at))) {
    throw new ConflictError(`the build is ${build.status}, not in progress`, 'build');
  }
  return build;
}

/**
 * The units a completion covers (see unitsToComplete): those named, or all that still miss the
 * stage. Reads only the scrapped units and the units named by code, never every unit.
 */
async function readUnitsToComplete(
  db: Database,
  build: BuildRow,
  stage: number,
  requested: UnitRef[] | undefined,
): Promise<{ units: number; ranges: SerialRange[] }> {
  const progress = await getBuildProgress(db, build);
  if (!build.serialized || requested === undefined)
    return unitsToComplete(progress, stage, requested, new Map());
  const named = await unitSerialsByCode(db, build.code, codesOfRefs(requested));
  const serialOf = new Map(
    named.flatMap((u) => (u.build_serial === null ? [] : [[u.code, u.build_serial] as const])),
  );
  return unitsToComplete(progress, stage, requested, serialOf);
}

/**
 * The entries with what installed units fill taken off: a unit installed into a unit counts
 * toward its BOM entry, so a completion consumes only what is still missing. A completion's
 * consumption is recorded for all its units alike (the genealogy reads it so), so every unit
 * must miss the same number; otherwise the completion is refused, naming the units to complete
 * apart.
 */
export async function withoutInstalled(
  db: Database,
  build: BuildRow,
  entries: BuildEntryRow[],
  ranges: SerialRange[],
): Promise<BuildEntryRow[]> {
  if (!build.serialized) return entries;
  const installable = entries.flatMap((e) => [
    e.part_code,
    ...(e.allow_substitutes === 1 ? parseJsonText(e.substitutes) : []),
  ]);
  if (!(await anyUnitsOf(db, [...new Set(installable)]))) return entries;
  const installed = (await countInstalledPerUnit(db, build.code)).filter((r) =>
    inRanges(ranges, r.serial),
  );
  const out: BuildEntryRow[] = [];
  for (const e of entries) {
    const rows = installed.filter((r) => r.entryNo === e.entry_no);
    const groups = groupBy(rows, (r) => r.n);
    const none = subtractRanges(ranges, toRanges(rows.map((r) => r.serial)));
    if (none.length > 0 && rows.length > 0) groups.set(0, []);
    if (groups.size > 1) {
      const held = [...groups.entries()]
        .sort(([a], [b]) => b - a)
        .map(([n, of]) => {
          const serials = n === 0 ? none : toRanges(of.map((r) => r.serial));
          return `unit${rangeSize(serials) > 1 ? 's' : ''} ${formatRanges(serials)} ${n === 0 ? 'none' : n}`;
        });
      const part = (await partNames(db, [e.part_code])).get(e.part_code) ?? e.part_code;
      throw new ConflictError(
        `entry ${e.entry_no} (${part}) is filled in part by installed units (${held.join(', ')}): complete these groups of units separately`,
        'units',
      );
    }
    const filled = (rows[0]?.n ?? 0) * QUANTITY_SCALE;
    if (filled === 0) out.push(e);
    else if (filled >= Number(e.quantity)) out.push({ ...e, quantity: 0, attrition_fixed: 0 });
    else out.push({ ...e, quantity: Number(e.quantity) - filled });
  }
  return out;
}

/**
 * A unit goes into a unit by installation (one to one, recorded): a completion never takes one
 * as loose stock, which would leave it 'available' without stock and in no unit's genealogy.
 */
async function refuseLooseUnits(db: Database, picks: { lotCode: string; entryNo: number }[]) {
  const lots = await lotSummaries(db, [...new Set(picks.map((p) => p.lotCode))]);
  const unit = lots.find((l) => l.build_serial !== null);
  if (!unit) return;
  const entry = picks.find((p) => p.lotCode === unit.code)!.entryNo;
  throw new ConflictError(
    `entry ${entry} takes units of a serialized build (such as ${shortCode(unit.code)}): install them into the units (tracelot install, POST /installations) before completing the stage, instead of consuming them as loose stock`,
    'stage',
  );
}
