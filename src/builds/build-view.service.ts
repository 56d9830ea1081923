import { bomApprovalsOf } from '../projects/bom-approvals.js';
import { toBomEntries } from '../projects/bom.service.js';
import type { BomEntry } from '../projects/project.schemas.js';
import { getProjectRow } from '../projects/project.service.js';
import type { SignatureMeaning } from '../domain/signature.js';
import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import { parseJsonText } from '../db/json-text.js';
import { parseCode, shortCode } from '../domain/code.js';
import { buildSerialLabel } from '../domain/unit-label.js';
import { NotFoundError } from '../domain/errors.js';
import {
  completedUnits,
  stagesCompletedBy,
  type BuildProgress,
  type StageCompletion,
} from '../domain/build-progress.js';
import { toUnits } from '../domain/quantity.js';
import { formatRanges, rangeSize, type SerialRange } from '../domain/serial-ranges.js';
import { unitState, type UnitState } from '../domain/unit-state.js';
import { parseInput } from '../domain/validate.js';
import { listHistory } from '../history/history.repository.js';
import { groupBy } from '../domain/collections.js';
import { unitTestStatuses } from '../test-results/unit-test-status.service.js';
import {
  completionsOfBuilds,
  stagesOfBuilds,
  unitStatesOfBuilds,
  findBuildRow,
  listBuildEntries,
  listBuildRows,
  listCompletions,
  listConsumption,
  pageOfUnits,
  scrappedSerials,
  unitOfBuild,
  type BuildEntryRow,
  type BuildRow,
} from './build.repository.js';
import {
  BuildPlanRequest,
  BuildQuery,
  UnitQuery,
  type Build,
  type BuildPage,
  type BomLine,
  type BuildPlan,
  type Consumed,
  type TimelineEvent,
  type UnitPage,
} from './build.schemas.js';
import {
  listBomEntryRows,
  projectBomRevisions,
  projectNames,
  type BomEntryRow,
} from '../projects/project.repository.js';
import { locationNames } from '../locations/location.repository.js';
import { partNames } from '../parts/part.repository.js';
import { serialsOfLots } from '../serials/serial.repository.js';
import { sourceEntries } from './sourcing.js';

/*
 * The read side of builds: a build and its summaries, what a build would use (the plan), its
 * units, what it consumed and its timeline. Nothing here changes anything; the commands are in
 * build.service.ts and stage-completion.service.ts.
 */

/** What a build of N units would use, and what is short. Changes nothing. */
export async function planBuild(ctx: Context, input: BuildPlanRequest): Promise<BuildPlan> {
  const data = parseInput(BuildPlanRequest, input);
  const project = await getProjectRow(ctx, data.project, 'project');
  const bom = (await listBomEntryRows(ctx.db, project.code)).map((e) => snapshotEntry('', e));
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

export async function getBuild(ctx: Context, ref: string): Promise<Build> {
  const row = await getBuildRow(ctx, ref);
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
  const build = await getBuildRow(ctx, ref);
  const [page, completions] = await Promise.all([
    only
      ? unitOfBuild(ctx.db, build.code, only)
      : pageOfUnits(ctx.db, build.code, filter.limit, filter.offset),
    listCompletions(ctx.db, build.code),
  ]);
  const codes = page.rows.map((r) => r.code);
  const [serials, tests] = await Promise.all([
    serialsOfLots(ctx.db, codes),
    unitTestStatuses(ctx.db, codes),
  ]);
  return {
    items: page.rows
      .filter((r) => r.build_serial !== null)
      .map((r) => ({
        code: r.code,
        shortCode: shortCode(r.code),
        serial: r.build_serial!,
        label: buildSerialLabel(build.code, r.build_serial!),
        state: unitState(r.unit_state!, r.stock_aside),
        stagesCompleted: stagesCompletedBy(completions, r.build_serial!),
        customerSerials: serials.get(r.code) ?? [],
        tests: tests.get(r.code) ?? null,
      })),
    total: page.total,
    limit: filter.limit,
    offset: filter.offset,
  };
}

/** Every lot the build consumed: which entry, how much, and for which units. */
export async function listConsumed(ctx: Context, ref: string): Promise<Consumed[]> {
  const build = await getBuildRow(ctx, ref);
  const [rows, completions] = await Promise.all([
    listConsumption(ctx.db, build.code),
    listCompletions(ctx.db, build.code),
  ]);
  return toConsumed(rows, completions);
}

/**
 * What happened to the build, oldest first: its start, each completion with its units, lots and
 * note (marked when reversed since), reversals and BOM changes with their reasons, scraps, and
 * its finish or cancellation with their notes.
 */
export async function getBuildTimeline(ctx: Context, ref: string): Promise<TimelineEvent[]> {
  const build = await getBuildRow(ctx, ref);
  // Reversed completions too: the timeline shows what was done and what was undone.
  const [events, completions, rows] = await Promise.all([
    listHistory(ctx.db, build.code),
    listCompletions(ctx.db, build.code, 'all'),
    listConsumption(ctx.db, build.code, undefined, 'all'),
  ]);
  const consumedBy = groupBy(toConsumed(rows, completions), (c) => c.completion);
  // completeStage appends one stage_completed event per completion, in the same transaction:
  // the events and the completions come in the same order.
  const pending = completions.values();
  const unitsOf = (c: { ranges: SerialRange[] }) => ({
    units: c.ranges.length === 0 ? Number(build.quantity) : rangeSize(c.ranges),
    serials: c.ranges.length === 0 ? 'all' : formatRanges(c.ranges),
  });
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
            ...unitsOf(c),
            consumed: consumedBy.get(c.id) ?? [],
            reversed:
              c.reversed_at === null
                ? null
                : {
                    at: c.reversed_at,
                    actor: c.reversed_by ?? '',
                    reason: c.reversal_reason ?? '',
                  },
          },
        ];
      }
      case 'completion_reversed': {
        const c = completions.find((k) => k.id === Number(data.completion));
        if (!c) return [];
        return [
          {
            type: 'completion_reversed',
            ...by,
            note: String(data.reason ?? ''),
            completion: c.id,
            stage: c.stage,
            ...unitsOf(c),
          },
        ];
      }
      case 'build_bom_changed':
        return [
          {
            type: 'bom_changed',
            ...by,
            note: String(data.reason ?? ''),
            entryNo: Number(data.entryNo),
            before: (data.before as BomLine | null | undefined) ?? null,
            after: (data.after as BomLine | null | undefined) ?? null,
          },
        ];
      case 'unit_scrapped':
        return [
          {
            type: 'unit_scrapped',
            ...by,
            note: String(data.reason ?? ''),
            unit: {
              code: String(data.unit),
              label: buildSerialLabel(build.code, Number(data.serial)),
            },
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
      case 'signed':
        // The signer's name is the record's actor (src/db/change-log.ts writes it so).
        return [
          {
            type: 'signed',
            ...by,
            note: '',
            meaning: data.meaning as SignatureMeaning,
            operation: String(data.operation),
            record: String(data.record),
          },
        ];
      default:
        return [];
    }
  });
}

/** The BOM as the build took it when it started: what its stages consume, whatever the project's BOM says now. */
export async function listBuildBom(ctx: Context, ref: string): Promise<BomEntry[]> {
  const build = await getBuildRow(ctx, ref);
  const rows = await listBuildEntries(ctx.db, build.code);
  return toBomEntries(
    ctx.db,
    rows.map(({ build_code: _, entry_no, ...r }) => ({ ...r, position: entry_no })),
  );
}

export async function getBuildRow(ctx: Context, ref: string, field = 'build'): Promise<BuildRow> {
  const code = parseCode(ref, field);
  const row = await findBuildRow(ctx.db, code);
  if (!row) throw new NotFoundError('build', code, field);
  return row;
}

/** What domain/build-progress reads of a build: its completions and scrapped serials. */
export async function getBuildProgress(
  db: Database,
  build: BuildRow,
): Promise<BuildProgress & { completions: readonly (StageCompletion & { id: number })[] }> {
  const [completions, scrapped] = await Promise.all([
    listCompletions(db, build.code),
    build.serialized ? scrappedSerials(db, build.code) : [],
  ]);
  return {
    serialized: build.serialized === 1,
    quantity: Number(build.quantity),
    completions,
    scrapped,
  };
}

export function snapshotEntry(build: string, e: BomEntryRow): BuildEntryRow {
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

export function toConsumed(
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

async function toBuilds(db: Database, rows: BuildRow[]): Promise<Build[]> {
  // A page of builds is read with a handful of statements, whatever its length.
  const codes = rows.map((r) => r.code);
  const projectCodes = [...new Set(rows.map((r) => r.project_code))];
  const [projects, bomRevisions, approvals, parts, locations, stagesOf, completionsOf, statesOf] =
    await Promise.all([
      projectNames(db, projectCodes),
      projectBomRevisions(db, projectCodes),
      bomApprovalsOf(db, projectCodes),
      partNames(db, [...new Set(rows.map((r) => r.part_code))]),
      locationNames(db, [...new Set(rows.map((r) => r.location_code))]),
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
      status: r.status,
      picking: r.picking,
      excludeTags: parseJsonText(r.exclude_tags),
      notes: r.notes,
      finishNote: r.finish_note,
      bomRevision: r.bom_revision,
      projectBomRevision: bomRevisions.get(r.project_code) ?? r.bom_revision,
      bomApproval:
        approvals.get(r.project_code)?.find((a) => a.revision === r.bom_revision) ?? null,
      stages: (stagesOf.get(r.code) ?? []).map(
        ({ stage, name, documentation, entries, placesParts }) => ({
          stage,
          name,
          documentation,
          entries,
          placesParts,
          completedUnits: completedUnits(completions, stage, total),
        }),
      ),
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

export function today(ctx: Context): string {
  return ctx.clock().toISOString().slice(0, 10);
}
