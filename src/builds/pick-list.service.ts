import { now, type Context } from '../context.js';
import { parseJsonText } from '../db/json-text.js';
import { unitsToComplete, type BuildProgress } from '../domain/build-progress.js';
import { shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { toUnits } from '../domain/quantity.js';
import { parseInput } from '../domain/validate.js';
import { formatCsv } from '../domain/csv-format.js';
import { locationNames } from '../locations/location.repository.js';
import { findProjectRow } from '../projects/project.repository.js';
import { listBuildEntries, type BuildEntryRow } from './build.repository.js';
import type { LotChoice } from './build.schemas.js';
import { getBuildProgress, getBuildRow, today } from './build-view.service.js';
import { pickedLotDetails } from './pick-list.repository.js';
import {
  MAX_PICK_CHOICES,
  PickListQuery,
  type PickChoice,
  type PickLine,
  type PickList,
  type PickLocation,
} from './pick-list.schemas.js';
import { sourceEntries } from './sourcing.js';
import { withoutInstalled } from './stage-completion.service.js';

/*
 * A pick list: the lots a stage completion (or every stage's) would take right now, grouped by
 * the location to fetch them from. It is the completion's own sourcing (sourceEntries, with the
 * build's picking rule, its excluded tags and the lots chosen by hand) over the units still
 * missing each stage, so the lots listed are the lots the completion consumes. It reads only.
 */

/** The pick list of a build in progress, for one stage or for every stage. */
export async function getPickList(
  ctx: Context,
  ref: string,
  query: PickListQuery,
): Promise<PickList> {
  const data = parseInput(PickListQuery, query);
  const choices = parseLotList(data.lots ?? '');
  const build = await getBuildRow(ctx, ref);
  if (build.status !== 'in_progress')
    throw new ConflictError(`the build is ${build.status}: nothing is left to pick`, 'build');
  const [entries, progress, project] = await Promise.all([
    listBuildEntries(ctx.db, build.code),
    getBuildProgress(ctx.db, build),
    findProjectRow(ctx.db, build.project_code),
  ]);
  const allStages = [...new Set(entries.map((e) => e.stage))].sort((a, b) => a - b);
  if (data.stage !== undefined && !allStages.includes(data.stage)) {
    throw new ValidationError(
      'stage',
      `the build has no stage ${data.stage} (stages: ${allStages.join(', ') || 'none'})`,
    );
  }
  const stages = data.stage === undefined ? allStages : [data.stage];

  // Each stage is sourced for the units still missing it. One sourcing call covers every stage
  // (so a lot used by two stages is not promised twice): an entry's quantity per unit is scaled
  // by its stage's units and the call asks for one unit; entryNeed multiplies before it rounds,
  // so the need is the same as the completion's.
  const stageUnits: { stage: number; units: number }[] = [];
  const scaled: BuildEntryRow[] = [];
  for (const stage of stages) {
    const { units, ranges } = remainingUnits(progress, stage);
    stageUnits.push({ stage, units });
    if (units === 0) continue;
    const own = await withoutInstalled(
      ctx.db,
      build,
      entries.filter((e) => e.stage === stage),
      ranges,
    );
    for (const e of own) scaled.push({ ...e, quantity: Number(e.quantity) * units });
  }
  // A choice for a line the list leaves out would read "no entry N": say why it is left out.
  const listed = new Set(scaled.map((e) => e.entry_no));
  choices.forEach((c, i) => {
    const entry = entries.find((e) => e.entry_no === c.entry);
    if (!entry || listed.has(c.entry)) return;
    throw new ValidationError(
      `lots.${i}.entry`,
      data.stage !== undefined && entry.stage !== data.stage
        ? `entry ${c.entry} is placed in stage ${entry.stage}, not stage ${data.stage}`
        : `entry ${c.entry}'s stage ${entry.stage} is complete for every unit`,
    );
  });
  const sourcing = await sourceEntries(ctx.db, {
    entries: scaled,
    units: 1,
    picking: build.picking,
    excludeTags: parseJsonText(build.exclude_tags),
    choices,
    today: today(ctx),
    describe: false,
  });

  const [lots, locations] = await Promise.all([
    pickedLotDetails(ctx.db, [...new Set(sourcing.picks.map((p) => p.lotCode))]),
    locationNames(ctx.db, [...new Set(sourcing.picks.map((p) => p.locationCode))]),
  ]);
  const lotByCode = new Map(lots.map((l) => [l.code, l]));
  const entryByNo = new Map(entries.map((e) => [e.entry_no, e]));
  // Lots chosen by hand replace the picking rule for their entry: all its lines are chosen.
  const chosen = new Set(choices.map((c) => c.entry));
  const byLocation = new Map<string, PickLocation>();
  const picked = new Map<string, Omit<PickChoice, 'quantity'> & { micro: number }>();
  for (const p of sourcing.picks) {
    const lot = lotByCode.get(p.lotCode);
    if (!lot) throw new NotFoundError('lot', p.lotCode);
    const entry = entryByNo.get(p.entryNo)!;
    const line: PickLine = {
      stage: entry.stage,
      entryNo: p.entryNo,
      part: { code: lot.part_code, name: lot.part_name, unit: lot.part_unit },
      designators: entry.designators,
      lot: {
        code: lot.code,
        shortCode: shortCode(lot.code),
        name: lot.name,
        vendorLot: lot.vendor_lot,
        dateCode: lot.date_code,
        expiry: lot.expiry,
        receivedAt: lot.created_at,
      },
      quantity: toUnits(p.quantity),
      chosen: chosen.has(p.entryNo),
    };
    let group = byLocation.get(p.locationCode);
    if (!group) {
      const name = locations.get(p.locationCode) ?? '';
      group = { location: { code: p.locationCode, name }, lines: [] };
      byLocation.set(p.locationCode, group);
    }
    group.lines.push(line);
    const key = `${p.entryNo}:${p.lotCode}`;
    const choice = picked.get(key);
    // A lot lying at two locations is one choice: the completion takes it from either.
    if (choice) choice.micro += p.quantity;
    else
      picked.set(key, { stage: entry.stage, entry: p.entryNo, lot: p.lotCode, micro: p.quantity });
  }
  const groups = [...byLocation.values()].sort(
    (a, b) =>
      byName.compare(a.location.name, b.location.name) ||
      (a.location.code < b.location.code ? -1 : 1),
  );
  // Array.prototype.sort is stable: an entry's lines keep the order the rule takes them in.
  for (const g of groups) g.lines.sort((a, b) => a.stage - b.stage || a.entryNo - b.entryNo);
  return {
    build: {
      code: build.code,
      shortCode: shortCode(build.code),
      project: { code: build.project_code, name: project?.name ?? '' },
    },
    stage: data.stage ?? null,
    picking: build.picking,
    generatedAt: now(ctx),
    stages: stageUnits,
    locations: groups,
    shortages: sourcing.shortages,
    ok: sourcing.shortages.length === 0,
    choices: [...picked.values()]
      .sort((a, b) => a.stage - b.stage || a.entry - b.entry)
      .map(({ micro, ...c }) => ({ ...c, quantity: toUnits(micro) })),
  };
}

/** Location names in the order people read them: `Shelf 2` before `Shelf 10`. */
const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The units still missing a stage; none when every unit has it (or is scrapped). */
function remainingUnits(progress: BuildProgress, stage: number) {
  try {
    return unitsToComplete(progress, stage, undefined, new Map());
  } catch (error) {
    if (error instanceof ConflictError) return { units: 0, ranges: [] };
    throw error;
  }
}

/**
 * `3=3f7k2m9q,5=0h4x8c1d:200` → lots chosen by hand (the form the CLI's --lot takes), checked
 * further by the sourcing (the entry exists, the lot is of its part).
 */
export function parseLotList(text: string): LotChoice[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length > MAX_PICK_CHOICES)
    throw new ValidationError('lots', `at most ${MAX_PICK_CHOICES} lots can be chosen by hand`);
  return items.map((item, i) => {
    const match = /^(\d{1,6})=([^:=\s]{1,200})(?::([^:=\s]{1,40}))?$/.exec(item);
    if (!match) {
      throw new ValidationError(
        'lots',
        `item ${i + 1} ('${item.slice(0, 60)}') is not entry=lot or entry=lot:quantity`,
      );
    }
    return {
      entry: Number(match[1]),
      lot: match[2]!,
      ...(match[3] ? { quantity: match[3] } : {}),
    };
  });
}

/** The pick list as CSV: one row per lot and location to take, in the list's order. */
export function pickListCsv(list: PickList): string {
  const rows = [
    [
      'location',
      'stage',
      'entry',
      'part',
      'designators',
      'lot',
      'lot name',
      'vendor lot',
      'received',
      'expiry',
      'quantity',
      'unit',
      'chosen by hand',
      'lot code',
    ],
  ];
  for (const g of list.locations) {
    for (const l of g.lines) {
      rows.push([
        g.location.name,
        String(l.stage),
        String(l.entryNo),
        l.part.name,
        l.designators,
        l.lot.shortCode,
        l.lot.name,
        l.lot.vendorLot,
        l.lot.receivedAt.slice(0, 10),
        l.lot.expiry ?? '',
        String(l.quantity),
        l.part.unit,
        l.chosen ? 'yes' : 'no',
        l.lot.code,
      ]);
    }
  }
  return formatCsv(rows);
}
