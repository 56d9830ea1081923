import { toBomEntries } from '../projects/bom.service.js';
import type { BomEntry } from '../projects/project.schemas.js';
import type { Insertable } from 'kysely';
import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import type { LotTable, StockEntryTable } from '../db/schema.js';
import { parseCode, shortCode } from '../domain/code.js';
import {
  ConflictError,
  InsufficientStockError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.js';
import type { Picking } from '../domain/picking.js';
import { QUANTITY_SCALE, formatQuantity, toUnits } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import {
  formatRanges,
  inRanges,
  intersectRanges,
  mergeRanges,
  rangeSize,
  subtractRanges,
  toRanges,
  type SerialRange,
} from '../domain/serial-ranges.js';
import { codesOfRefs, rangesOfRefs, type UnitRef } from '../domain/unit-refs.js';
import { unitState, type UnitState } from '../domain/unit-state.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory, listHistory } from '../history/history.repository.js';
import { groupBy } from '../domain/collections.js';
import { getLocationRow } from '../locations/location.service.js';
import { insertLots } from '../lots/lot.repository.js';
import {
  balancesOfLots,
  decreaseBalances,
  insertBalances,
  insertEntries,
  takeOutBalances,
} from '../stock/stock.repository.js';
import {
  countFinishConflicts,
  completionsOfBuilds,
  stagesOfBuilds,
  unitStatesOfBuilds,
  findBuildRow,
  findProjectRow,
  insertBuild,
  insertBuildEntries,
  insertCompletion,
  insertConsumption,
  listBomEntries,
  listBuildEntries,
  listBuildRows,
  listCompletions,
  listConsumption,
  listOutputs,
  lockBuildInProgress,
  lotSummaries,
  namesOf,
  pageOfUnits,
  releaseOutputs,
  releaseUnits,
  scrappedSerials,
  setBuildStatus,
  setUnitStates,
  unitSerialsByCode,
  type BuildEntryRow,
  type BuildRow,
} from './build.repository.js';
import {
  BuildCreate,
  BuildPlanRequest,
  BuildQuery,
  CancelRequest,
  CompleteStage,
  FinishRequest,
  ScrapRequest,
  UnitQuery,
  type Build,
  type BuildPage,
  type BuildPlan,
  type BuildStatus,
  type BuildUnit,
  type CompletionResult,
  type Consumed,
  type Shortage,
  type TimelineEvent,
  type UnitPage,
} from './build.schemas.js';
import { checkBuildTests } from '../test-results/test-gate.service.js';
import { findUnitRows } from '../units/unit.repository.js';
import { serialsOfLots } from '../serials/serial.repository.js';
import { assignSerials } from '../serials/serial.service.js';
import { sourceEntries } from './sourcing.js';
import { countInstalledPerUnit } from './installation.repository.js';

/** A build that is short of stock: nothing changed; the shortages say what is missing. */
export class ShortBuildError extends InsufficientStockError {
  constructor(readonly shortages: Shortage[]) {
    super(
      `short of stock: ${shortages
        .map(
          (s) =>
            `entry ${s.entryNo} (${s.part.name}) needs ${s.need} ${s.part.unit}, ${s.short} missing`,
        )
        .join('; ')}`,
      'quantity',
    );
  }
}

/** What a build of N units would use, and what is short. Changes nothing. */
export async function planBuild(ctx: Context, input: BuildPlanRequest): Promise<BuildPlan> {
  const data = parseInput(BuildPlanRequest, input);
  const project = await getProject(ctx.db, data.project);
  const bom = (await listBomEntries(ctx.db, project.code)).map((e) => snapshotEntry('', e));
  const entries = data.stage === undefined ? bom : bom.filter((e) => e.stage === data.stage);
  const sourcing = await sourceEntries(ctx.db, {
    entries,
    units: data.quantity,
    picking: data.picking,
    excludeTags: data.excludeTags,
    choices: data.lots,
    today: today(ctx),
  });
  return {
    project: { code: project.code, name: project.name },
    quantity: data.quantity,
    ok: sourcing.shortages.length === 0,
    entries: sourcing.entries,
    shortages: sourcing.shortages,
  };
}

/**
 * Starts a build: the BOM is copied, and the output exists at once in production (one lot per
 * unit when serialized, so labels can be printed before any part is placed). With `run`, every
 * stage is completed for every unit and the build finished, in the same transaction.
 */
export async function startBuild(ctx: Context, actor: Actor, input: BuildCreate): Promise<Build> {
  const data = parseInput(BuildCreate, input);
  if (data.serialFormat !== undefined && !data.serialized)
    throw new ValidationError('serialFormat', 'customer serials need a serialized build');
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const tctx = withDb(ctx, db);
    const project = await getProject(db, data.project);
    const location = (await getLocationRow(tctx, data.location, 'location')).code;
    const bom = await listBomEntries(db, project.code);
    await insertBuild(db, {
      code,
      project_code: project.code,
      part_code: project.part_code,
      location_code: location,
      quantity: data.quantity,
      serialized: data.serialized ? 1 : 0,
      status: 'in_progress',
      picking: data.picking,
      exclude_tags: JSON.stringify(data.excludeTags),
      notes: data.notes,
      finish_note: '',
      created_at: at,
      updated_at: at,
      finished_at: null,
    });
    await insertBuildEntries(
      db,
      bom.map((e) => snapshotEntry(code, e)),
    );
    await createOutputs(tctx, actor, at, {
      code,
      part: project.part_code,
      location,
      quantity: data.quantity,
      serialized: data.serialized,
      // Run in one transaction, the output is never seen in production: it is made finished.
      finished: data.run,
    });
    if (data.serialFormat !== undefined)
      await assignSerials(tctx, actor, data.serialFormat, { build: code }, 'serialFormat');
    await appendHistory(db, actor, at, [
      {
        subjectCode: code,
        type: 'build_started',
        data: { project: project.code, quantity: data.quantity, serialized: data.serialized },
      },
    ]);
    if (data.run) {
      const stages = [...new Set(bom.map((e) => e.stage))].sort((a, b) => a - b);
      for (const stage of stages) {
        const lots = data.lots.filter((l) =>
          bom.some((e) => e.position === l.entry && e.stage === stage),
        );
        await completeStage(tctx, actor, code, stage, { lots, picking: data.picking });
      }
      await checkBuildTests(db, actor, at, { code, project_code: project.code });
      await setBuildStatus(db, code, { status: 'finished', finished_at: at, updated_at: at });
      await appendHistory(db, actor, at, [{ subjectCode: code, type: 'build_finished', data: {} }]);
    }
  });
  return getBuild(ctx, code);
}

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
    const build = await lockBuild(db, buildRef, at);
    const entries = await listBuildEntries(db, build.code);
    const stageEntries = entries.filter((e) => e.stage === stage);
    if (stageEntries.length === 0) {
      const stages = [...new Set(entries.map((e) => e.stage))].join(', ');
      throw new ValidationError(
        'stage',
        `the build has no stage ${stage} (stages: ${stages || 'none'})`,
      );
    }
    const { ranges, units } = await unitsToComplete(db, build, stage, data.units);
    const sourcing = await sourceEntries(db, {
      entries: await withoutInstalled(db, build, stageEntries, ranges),
      units,
      picking: data.picking ?? (build.picking as Picking),
      excludeTags: JSON.parse(build.exclude_tags) as string[],
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
    const short = await decreaseBalances(
      db,
      sourcing.picks.map((p) => ({
        lot_code: p.lotCode,
        location_code: p.locationCode,
        status: 'on_hand',
        quantity: p.quantity,
      })),
    );
    if (short.length > 0) {
      // The balance may serve several picks (two entries, or a substitute): name them all.
      const picks = sourcing.picks.filter(
        (p) => p.lotCode === short[0]!.lot_code && p.locationCode === short[0]!.location_code,
      );
      const needed = picks.reduce((n, p) => n + p.quantity, 0);
      throw new InsufficientStockError(
        `lot ${shortCode(short[0]!.lot_code)} no longer holds ${formatQuantity(needed)} for ${
          picks.length === 1 ? 'entry' : 'entries'
        } ${picks.map((p) => p.entryNo).join(', ')}: it changed meanwhile; nothing was consumed`,
        'quantity',
      );
    }
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
    await insertEntries(
      db,
      sourcing.picks.map((p) => ({
        operation,
        type: 'consumed',
        lot_code: p.lotCode,
        part_code: p.partCode,
        location_code: p.locationCode,
        status: 'on_hand',
        quantity: -p.quantity,
        note: data.note,
        actor_code: actor.code,
        actor_name: actor.name,
        created_at: at,
        ref_code: build.code,
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

/** Scraps a unit: its stock is removed; what it consumed stays recorded. */
export async function scrapUnit(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  unitRef: string,
  input: { reason: string },
): Promise<BuildUnit> {
  const { reason } = parseInput(ScrapRequest, input);
  const at = now(ctx);
  const unitCode = parseCode(unitRef, 'unit');
  const build = await inTransaction(ctx.db, async (db) => {
    const build = await getBuildRow(db, buildRef);
    const unit = (await listOutputs(db, build.code)).find((u) => u.code === unitCode);
    if (!unit || unit.build_serial === null) {
      throw new NotFoundError(
        'unit',
        unitCode,
        'unit',
        `unit '${unitCode}' is not a unit of build ${shortCode(build.code)}`,
      );
    }
    if (unit.unit_state !== 'in_production' && unit.unit_state !== 'available') {
      throw new ConflictError(
        `the unit is ${unit.unit_state}: only units in production or available can be scrapped`,
        'unit',
      );
    }
    const balances = await balancesOfLots(db, [unit.code]);
    const taken = await takeOutBalances(db, balances, {
      operation: ctx.newCode(),
      type: 'scrapped',
      note: reason,
      actor_code: actor.code,
      actor_name: actor.name,
      created_at: at,
      ref_code: build.code,
    });
    if (!taken) throw new ConflictError('the unit changed meanwhile; try again', 'unit');
    await setUnitStates(db, [unit.code], 'scrapped');
    await appendHistory(db, actor, at, [
      {
        subjectCode: build.code,
        type: 'unit_scrapped',
        data: { unit: unit.code, serial: unit.build_serial, reason },
      },
      { subjectCode: unit.code, type: 'unit_scrapped', data: { build: build.code, reason } },
    ]);
    return build;
  });
  const units = await listBuildUnits(ctx, build.code, { limit: 1, offset: 0 }, unitCode);
  return units.items[0]!;
}

/**
 * Finishes a build: the surviving output becomes usable stock (units: available). Every unit
 * must have completed every stage, unless `allowIncomplete` with a note, which is recorded.
 */
export async function finishBuild(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  input: FinishRequest,
): Promise<Build> {
  const data = parseInput(FinishRequest, input);
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const build = await lockBuild(db, buildRef, at);
    const missing = await missingStages(db, build);
    if (missing.length > 0 && !data.allowIncomplete) {
      throw new ConflictError(
        `stages incomplete: ${missing.map((m) => `stage ${m.stage} for ${m.units}`).join('; ')}. Complete them, or finish with allowIncomplete and a note`,
        'allowIncomplete',
      );
    }
    if (missing.length > 0 && !data.note.trim()) {
      throw new ValidationError('note', 'say why the build is finished with stages incomplete');
    }
    await checkBuildTests(db, actor, at, build, data);
    if ((await countFinishConflicts(db, build.code)) > 0) {
      throw new ConflictError(
        'some output is on hand already at its location; move it first',
        'build',
      );
    }
    const operation = ctx.newCode();
    await releaseOutputs(db, build.code, {
      operation,
      note: data.note,
      actor_code: actor.code,
      actor_name: actor.name,
      created_at: at,
    });
    if (build.serialized) {
      await releaseUnits(db, build.code);
    }
    // Kept whether or not it was required: a note given is never dropped.
    const note = data.note.trim();
    await setBuildStatus(db, build.code, {
      status: 'finished',
      finished_at: at,
      finish_note: note,
      updated_at: at,
    });
    await appendHistory(db, actor, at, [
      {
        subjectCode: build.code,
        type: 'build_finished',
        data: missing.length > 0 ? { incomplete: missing, note } : { note },
      },
    ]);
    return build.code;
  });
  return getBuild(ctx, code);
}

/** Cancels a build that has consumed nothing: its output is removed. */
export async function cancelBuild(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  input: { reason: string },
): Promise<Build> {
  const { reason } = parseInput(CancelRequest, input);
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const build = await lockBuild(db, buildRef, at);
    if ((await listCompletions(db, build.code)).length > 0) {
      throw new ConflictError(
        'stages were completed and parts consumed: scrap the units or finish the build instead',
        'build',
      );
    }
    const outputs = await listOutputs(db, build.code);
    const balances = await balancesOfLots(
      db,
      outputs.map((o) => o.code),
    );
    const taken = await takeOutBalances(db, balances, {
      operation: ctx.newCode(),
      type: 'cancelled',
      note: reason,
      actor_code: actor.code,
      actor_name: actor.name,
      created_at: at,
      ref_code: build.code,
    });
    if (!taken) throw new ConflictError('the build changed meanwhile; try again', 'build');
    if (build.serialized) {
      await setUnitStates(
        db,
        outputs.map((o) => o.code),
        'scrapped',
      );
    }
    await setBuildStatus(db, build.code, { status: 'cancelled', finished_at: at, updated_at: at });
    await appendHistory(db, actor, at, [
      { subjectCode: build.code, type: 'build_cancelled', data: { reason } },
    ]);
    return build.code;
  });
  return getBuild(ctx, code);
}

export async function getBuild(ctx: Context, ref: string): Promise<Build> {
  const row = await getBuildRow(ctx.db, ref);
  const [build] = await toBuilds(ctx.db, [row]);
  return build!;
}

export async function listBuilds(ctx: Context, query: BuildQuery): Promise<BuildPage> {
  const filter = parseInput(BuildQuery, query);
  const { rows, total } = await listBuildRows(ctx.db, {
    ...filter,
    project: filter.project && parseCode(filter.project, 'project'),
  });
  return { items: await toBuilds(ctx.db, rows), total, limit: filter.limit, offset: filter.offset };
}

/** The build's units in serial order, with the stages each has completed. */
export async function listBuildUnits(
  ctx: Context,
  ref: string,
  query: { limit?: number; offset?: number },
  only?: string,
): Promise<UnitPage> {
  const filter = parseInput(UnitQuery, query);
  const build = await getBuildRow(ctx.db, ref);
  const [page, completions] = await Promise.all([
    only
      ? findUnitRows(ctx.db, [only]).then((rows) => {
          const found = rows.filter((r) => r.build_code === build.code);
          return { rows: found, total: found.length };
        })
      : pageOfUnits(ctx.db, build.code, filter.limit, filter.offset),
    listCompletions(ctx.db, build.code),
  ]);
  const short = shortCode(build.code);
  const serials = await serialsOfLots(
    ctx.db,
    page.rows.map((r) => r.code),
  );
  return {
    items: page.rows
      .filter((r) => r.build_serial !== null)
      .map((r) => ({
        code: r.code,
        shortCode: shortCode(r.code),
        serial: r.build_serial!,
        label: `${short}-${r.build_serial}`,
        state: unitState(r.unit_state!, r.stock_aside),
        stagesCompleted: [
          ...new Set(
            completions
              .filter((c) => c.ranges.length === 0 || inRanges(c.ranges, r.build_serial!))
              .map((c) => c.stage),
          ),
        ].sort((a, b) => a - b),
        customerSerials: serials.get(r.code) ?? [],
      })),
    total: page.total,
    limit: filter.limit,
    offset: filter.offset,
  };
}

/** Every lot the build consumed: which entry, how much, and for which units. */
export async function listConsumed(ctx: Context, ref: string): Promise<Consumed[]> {
  const build = await getBuildRow(ctx.db, ref);
  const [rows, completions] = await Promise.all([
    listConsumption(ctx.db, build.code),
    listCompletions(ctx.db, build.code),
  ]);
  return toConsumed(rows, completions);
}

/**
 * What happened to the build, oldest first: its start, each completion with its units, lots and
 * note, scraps, and its finish or cancellation with their notes.
 */
export async function getBuildTimeline(ctx: Context, ref: string): Promise<TimelineEvent[]> {
  const build = await getBuildRow(ctx.db, ref);
  const [events, completions, rows] = await Promise.all([
    listHistory(ctx.db, build.code),
    listCompletions(ctx.db, build.code),
    listConsumption(ctx.db, build.code),
  ]);
  const consumedBy = groupBy(toConsumed(rows, completions), (c) => c.completion);
  // completeStage appends one stage_completed event per completion, in the same transaction:
  // the events and the completions come in the same order.
  const pending = completions.values();
  const short = shortCode(build.code);
  return events.flatMap((e): TimelineEvent[] => {
    const by = { at: e.at, actor: e.actor.name };
    const data = e.data as Partial<Record<string, unknown>>;
    switch (e.type) {
      case 'build_started':
        return [{ type: 'started', ...by, note: build.notes, quantity: Number(build.quantity) }];
      case 'stage_completed': {
        const c = pending.next().value;
        if (!c) return [];
        return [
          {
            type: 'stage_completed',
            at: c.created_at,
            actor: c.actor_name,
            note: c.note,
            completion: c.id,
            stage: c.stage,
            units: c.ranges.length === 0 ? Number(build.quantity) : rangeSize(c.ranges),
            serials: c.ranges.length === 0 ? 'all' : formatRanges(c.ranges),
            consumed: consumedBy.get(c.id) ?? [],
          },
        ];
      }
      case 'unit_scrapped':
        return [
          {
            type: 'unit_scrapped',
            ...by,
            note: String(data.reason ?? ''),
            unit: { code: String(data.unit), label: `${short}-${String(data.serial)}` },
          },
        ];
      case 'build_finished':
        return [
          {
            type: 'finished',
            ...by,
            note: build.finish_note,
            incomplete: (data.incomplete as { stage: number; units: string }[] | undefined) ?? [],
          },
        ];
      case 'build_cancelled':
        return [{ type: 'cancelled', ...by, note: String(data.reason ?? '') }];
      default:
        return [];
    }
  });
}

function toConsumed(
  rows: Awaited<ReturnType<typeof listConsumption>>,
  completions: { id: number; ranges: SerialRange[] }[],
): Consumed[] {
  const byId = new Map(completions.map((c) => [c.id, c]));
  return rows.map((r) => {
    const completion = byId.get(Number(r.completion_id))!;
    return {
      completion: completion.id,
      stage: r.stage,
      entryNo: r.entry_no,
      part: { code: r.part_code, name: r.part_name },
      lot: {
        code: r.lot_code,
        shortCode: shortCode(r.lot_code),
        name: r.lot_name,
        vendorLot: r.vendor_lot,
        dateCode: r.date_code,
      },
      quantity: toUnits(Number(r.quantity)),
      units: completion.ranges.length === 0 ? 'all' : formatRanges(completion.ranges),
      at: r.created_at,
    };
  });
}

async function getProject(db: Database, ref: string) {
  const code = parseCode(ref, 'project');
  const project = await findProjectRow(db, code);
  if (!project) throw new NotFoundError('project', code, 'project');
  return project;
}

/** The BOM as the build took it when it started: what its stages consume, whatever the project's BOM says now. */
export async function listBuildBom(ctx: Context, ref: string): Promise<BomEntry[]> {
  const build = await getBuildRow(ctx.db, ref);
  const rows = await listBuildEntries(ctx.db, build.code);
  return toBomEntries(
    ctx.db,
    rows.map(({ build_code: _, entry_no, ...r }) => ({ ...r, position: entry_no })),
  );
}

export async function getBuildRow(db: Database, ref: string): Promise<BuildRow> {
  const code = parseCode(ref, 'build');
  const row = await findBuildRow(db, code);
  if (!row) throw new NotFoundError('build', code, 'build');
  return row;
}

async function lockBuild(db: Database, ref: string, at: string): Promise<BuildRow> {
  const build = await getBuildRow(db, ref);
  if (!(await lockBuildInProgress(db, build.code, at))) {
    throw new ConflictError(`the build is ${build.status}, not in progress`, 'build');
  }
  return build;
}

function snapshotEntry(
  build: string,
  e: Awaited<ReturnType<typeof listBomEntries>>[number],
): BuildEntryRow {
  return {
    build_code: build,
    entry_no: e.position,
    part_code: e.part_code,
    quantity: Number(e.quantity),
    designators: e.designators,
    substitutes: e.substitutes,
    allow_substitutes: e.allow_substitutes,
    dnp: e.dnp,
    stage: e.stage,
    attrition_ppm: Number(e.attrition_ppm),
    attrition_fixed: Number(e.attrition_fixed),
  };
}

/**
 * The output lots with their `produced` ledger entries: N units, or one lot of N; in production,
 * or finished already when the whole build runs in one transaction.
 */
async function createOutputs(
  ctx: Context,
  actor: Actor,
  at: string,
  build: {
    code: string;
    part: string;
    location: string;
    quantity: number;
    serialized: boolean;
    finished: boolean;
  },
): Promise<void> {
  const db = ctx.db;
  const operation = ctx.newCode();
  const count = build.serialized ? build.quantity : 1;
  const each = build.serialized ? QUANTITY_SCALE : build.quantity * QUANTITY_SCALE;
  const lots: Insertable<LotTable>[] = [];
  const entries: Insertable<StockEntryTable>[] = [];
  for (let serial = 1; serial <= count; serial++) {
    const code = ctx.newCode();
    lots.push({
      code,
      part_code: build.part,
      name: '',
      description: '',
      comments: '',
      expiry: null,
      vendor_lot: '',
      date_code: '',
      order_ref: '',
      parent_code: null,
      created_at: at,
      updated_at: at,
      build_code: build.code,
      build_serial: build.serialized ? serial : null,
      unit_state: build.serialized ? (build.finished ? 'available' : 'in_production') : null,
    });
    entries.push({
      operation,
      type: 'produced',
      lot_code: code,
      part_code: build.part,
      location_code: build.location,
      status: build.finished ? 'on_hand' : 'in_production',
      quantity: each,
      note: '',
      actor_code: actor.code,
      actor_name: actor.name,
      created_at: at,
      ref_code: build.code,
    });
  }
  await insertLots(db, lots);
  await insertBalances(
    db,
    entries.map((e) => ({
      lot_code: e.lot_code,
      location_code: e.location_code,
      status: e.status,
      part_code: e.part_code,
      quantity: e.quantity,
    })),
  );
  await insertEntries(db, entries);
}

/**
 * The units a completion covers: those named (checked), or all that still miss the stage.
 * Works on ranges of serials, never on every unit of the build: a build's units are the lots
 * with serials 1..quantity, made when it started and never deleted, so only the scrapped ones
 * (few) and the units named by code need reading.
 */
async function unitsToComplete(
  db: Database,
  build: BuildRow,
  stage: number,
  requested: UnitRef[] | undefined,
): Promise<{ units: number; ranges: SerialRange[] }> {
  const completions = (await listCompletions(db, build.code)).filter((c) => c.stage === stage);
  if (!build.serialized) {
    if (requested)
      throw new ValidationError('units', 'the build is not serialized: it has no units to name');
    if (completions.length > 0)
      throw new ConflictError(`stage ${stage} is complete already`, 'stage');
    return { units: Number(build.quantity), ranges: [] };
  }
  const all: SerialRange[] = [{ from: 1, to: Number(build.quantity) }];
  const done = completions.some((c) => c.ranges.length === 0)
    ? all
    : mergeRanges(completions.flatMap((c) => c.ranges));
  const scrapped = await scrappedSerials(db, build.code);
  let ranges: SerialRange[];
  if (requested === undefined) {
    ranges = subtractRanges(subtractRanges(all, toRanges(scrapped)), done);
    if (ranges.length === 0)
      throw new ConflictError(`every unit has completed stage ${stage} already`, 'stage');
  } else {
    const codes = codesOfRefs(requested);
    const byCode = new Map(
      (await unitSerialsByCode(db, build.code, codes)).flatMap((u) =>
        u.build_serial === null ? [] : [[u.code, u.build_serial] as const],
      ),
    );
    const named = rangesOfRefs(requested, all[0]!.to, byCode);
    const gone = intersectRanges(named, toRanges(scrapped));
    if (gone.length > 0) {
      const i = named.findIndex((r) => intersectRanges([r], gone).length > 0);
      throw new ConflictError(
        `unit${rangeSize(gone) > 1 ? 's' : ''} ${formatRanges(gone)} ${rangeSize(gone) > 1 ? 'are' : 'is'} scrapped`,
        `units.${i}`,
      );
    }
    ranges = mergeRanges(named);
    const twice = intersectRanges(ranges, done);
    if (twice.length > 0) {
      throw new ConflictError(
        `stage ${stage} is complete already for unit${rangeSize(twice) > 1 ? 's' : ''} ${formatRanges(twice)}`,
        'units',
      );
    }
    if (rangeSize(ranges) !== rangeSize(named))
      throw new ValidationError('units', 'names a unit twice');
  }
  return { units: rangeSize(ranges), ranges };
}

/**
 * The entries with what installed units fill taken off: a unit installed into a unit counts
 * toward its BOM entry, so a completion consumes only what is still missing. A completion's
 * consumption is recorded for all its units alike (the genealogy reads it so), so every unit
 * must miss the same number; otherwise the completion is refused, naming the units to complete
 * apart.
 */
async function withoutInstalled(
  db: Database,
  build: BuildRow,
  entries: BuildEntryRow[],
  ranges: SerialRange[],
): Promise<BuildEntryRow[]> {
  if (!build.serialized) return entries;
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
      const part = (await namesOf(db, 'part', [e.part_code])).get(e.part_code) ?? e.part_code;
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

/** Stages some surviving unit has not completed, with the serials missing them. */
async function missingStages(
  db: Database,
  build: BuildRow,
): Promise<{ stage: number; units: string }[]> {
  const [entries, completions, outputs] = await Promise.all([
    listBuildEntries(db, build.code),
    listCompletions(db, build.code),
    listOutputs(db, build.code),
  ]);
  const stages = [...new Set(entries.map((e) => e.stage))].sort((a, b) => a - b);
  const missing: { stage: number; units: string }[] = [];
  for (const stage of stages) {
    const done = completions.filter((c) => c.stage === stage);
    if (!build.serialized) {
      if (done.length === 0) missing.push({ stage, units: 'the build' });
      continue;
    }
    const lacking = outputs
      .filter((u) => u.unit_state !== 'scrapped')
      .map((u) => u.build_serial!)
      .filter((s) => !done.some((c) => c.ranges.length === 0 || inRanges(c.ranges, s)));
    if (lacking.length > 0)
      missing.push({ stage, units: `units ${formatRanges(toRanges(lacking))}` });
  }
  return missing;
}

async function toBuilds(db: Database, rows: BuildRow[]): Promise<Build[]> {
  // A page of builds is read with a handful of statements, whatever its length.
  const codes = rows.map((r) => r.code);
  const [projects, parts, locations, stagesOf, completionsOf, statesOf] = await Promise.all([
    namesOf(db, 'project', [...new Set(rows.map((r) => r.project_code))]),
    namesOf(db, 'part', [...new Set(rows.map((r) => r.part_code))]),
    namesOf(db, 'location', [...new Set(rows.map((r) => r.location_code))]),
    stagesOfBuilds(db, codes),
    completionsOfBuilds(db, codes),
    unitStatesOfBuilds(db, codes),
  ]);
  return rows.map((r) => {
    const completions = completionsOf.get(r.code) ?? [];
    const states = statesOf.get(r.code) ?? [];
    // Counted as every page shows a unit (unitState): held stock makes a unit held, not available.
    const count = (state: UnitState) =>
      states
        .filter((s) => s.unit_state !== null && unitState(s.unit_state, s.stock_aside) === state)
        .reduce((n, s) => n + s.n, 0);
    const total = r.serialized ? states.reduce((n, s) => n + Number(s.n), 0) : Number(r.quantity);
    return {
      code: r.code,
      shortCode: shortCode(r.code),
      project: { code: r.project_code, name: projects.get(r.project_code) ?? '' },
      part: { code: r.part_code, name: parts.get(r.part_code) ?? '' },
      location: { code: r.location_code, name: locations.get(r.location_code) ?? '' },
      quantity: Number(r.quantity),
      serialized: r.serialized === 1,
      status: r.status as BuildStatus,
      picking: r.picking as Picking,
      excludeTags: JSON.parse(r.exclude_tags) as string[],
      notes: r.notes,
      finishNote: r.finish_note,
      stages: (stagesOf.get(r.code) ?? []).map(({ stage, entries, placesParts }) => {
        const done = completions.filter((c) => c.stage === stage);
        return {
          stage,
          entries,
          placesParts,
          completedUnits: done.some((c) => c.ranges.length === 0)
            ? total
            : done.reduce((n, c) => n + rangeSize(c.ranges), 0),
        };
      }),
      units: {
        total,
        inProduction: count('in_production'),
        available: count('available'),
        held: count('held'),
        rejected: count('rejected'),
        installed: count('installed'),
        scrapped: count('scrapped'),
      },
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      finishedAt: r.finished_at,
    };
  });
}

function today(ctx: Context): string {
  return ctx.clock().toISOString().slice(0, 10);
}
