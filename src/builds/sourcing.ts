import type { Database } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { groupBy } from '../domain/collections.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import {
  entryNeed,
  orderCandidates,
  pickLots,
  type Candidate,
  type Pick,
  type Picking,
} from '../domain/picking.js';
import { isCountable, parseQuantity, toUnits, type Unit } from '../domain/quantity.js';
import { locationNames } from '../locations/location.repository.js';
import { lotSummaries } from '../lots/lot.repository.js';
import { partUnits } from '../parts/part.repository.js';
import { candidateBalances, onHandOfLots } from '../stock/stock.repository.js';
import type { BuildEntryRow } from './build.repository.js';
import type { LotChoice, PlanEntry, Shortage } from './build.schemas.js';

/** What a set of entries needs for some units, and the lots that would cover it. */
export interface Sourcing {
  entries: PlanEntry[];
  shortages: Shortage[];
  /** Millionths per (entry, lot, location), ready to consume. */
  picks: (Pick & { entryNo: number })[];
}

export interface SourcingInput {
  entries: BuildEntryRow[];
  units: number;
  picking: Picking;
  excludeTags: string[];
  choices: LotChoice[];
  /** YYYY-MM-DD: lots that expire before are never picked automatically. */
  today: string;
  /** Fill the plan entries' picks with lot and location names (a plan shows them; a completion does not). */
  describe?: boolean;
}

/**
 * Picks lots for the entries: lots chosen by hand first (in the order given), then the strategy
 * over the part's on-hand, unexpired, not excluded lots, then its substitutes in their order.
 * Reads only; the caller consumes with guarded updates, so a concurrent change fails safely.
 */
export async function sourceEntries(db: Database, input: SourcingInput): Promise<Sourcing> {
  const placed = input.entries.filter((e) => e.dnp === 0);
  const substitutesOf = (e: BuildEntryRow): string[] =>
    e.allow_substitutes ? (JSON.parse(e.substitutes) as string[]) : [];
  const parts = [...new Set(placed.flatMap((e) => [e.part_code, ...substitutesOf(e)]))];
  const units = await partUnits(db, [...new Set(input.entries.map((e) => e.part_code))]);
  const choices = validateChoices(input.choices, input.entries, units);
  const chosenLots = [...new Set(choices.map((c) => c.lot))];
  const [candidates, chosen, known] = await Promise.all([
    candidateBalances(db, parts, input.today, input.excludeTags),
    onHandOfLots(db, chosenLots),
    lotSummaries(db, chosenLots),
  ]);
  for (const c of choices) {
    if (!known.some((l) => l.code === c.lot))
      throw new NotFoundError('lot', c.lot, `lots.${c.index}.lot`);
  }
  const byPart = groupBy(candidates.map(toCandidate), (c) => c.partCode);
  const chosenByLot = groupBy(chosen.map(toCandidate), (c) => c.lotCode);
  const choicesByEntry = groupBy(choices, (c) => c.entry);
  // One balance may serve several entries (a part used twice): what is left of each.
  const left = new Map<string, number>();
  for (const c of [...candidates, ...chosen].map(toCandidate)) left.set(key(c), c.quantity);
  const available = (c: { lotCode: string; locationCode: string }) => left.get(key(c)) ?? 0;

  const entries: PlanEntry[] = [];
  const shortages: Shortage[] = [];
  const picks: Sourcing['picks'] = [];
  for (const e of input.entries) {
    const unit = units.get(e.part_code)!;
    const need =
      e.dnp === 1
        ? 0
        : entryNeed({
            units: input.units,
            perUnit: Number(e.quantity),
            attritionPpm: Number(e.attrition_ppm),
            attritionFixed: Number(e.attrition_fixed),
            countable: isCountable(unit.unit as Unit),
          });
    const allowed = new Set([e.part_code, ...substitutesOf(e)]);
    const ordered: Candidate[] = [];
    for (const choice of choicesByEntry.get(e.entry_no) ?? []) {
      const balances = chosenByLot.get(choice.lot) ?? [];
      const wrongPart = balances.find((b) => !allowed.has(b.partCode));
      if (wrongPart) {
        throw new ValidationError(
          `lots.${choice.index}.lot`,
          `lot ${shortCode(choice.lot)} is not of entry ${e.entry_no}'s part or an allowed substitute`,
        );
      }
      let cap = choice.quantity ?? Number.POSITIVE_INFINITY;
      for (const b of balances) {
        const take = Math.min(available(b), cap);
        if (take > 0) ordered.push({ ...b, quantity: take });
        cap -= take;
      }
    }
    // Lots chosen by hand replace automatic picking for their entry.
    if (!choicesByEntry.has(e.entry_no)) {
      for (const part of allowed) {
        const own = (byPart.get(part) ?? []).map((c) => ({ ...c, quantity: available(c) }));
        ordered.push(...orderCandidates(own, input.picking));
      }
    }
    const { picks: entryPicks, short } = pickLots(need, ordered);
    for (const p of entryPicks) {
      left.set(key(p), available(p) - p.quantity);
      picks.push({ ...p, entryNo: e.entry_no });
    }
    const summary = { code: e.part_code, name: unit.name, unit: unit.unit };
    entries.push({
      entryNo: e.entry_no,
      stage: e.stage,
      part: summary,
      designators: e.designators,
      dnp: e.dnp === 1,
      perUnit: toUnits(Number(e.quantity)),
      need: toUnits(need),
      picks: [],
      short: toUnits(short),
    });
    if (short > 0) {
      shortages.push({
        entryNo: e.entry_no,
        part: summary,
        need: toUnits(need),
        available: toUnits(need - short),
        short: toUnits(short),
      });
    }
  }
  if (input.describe !== false) await describePicks(db, entries, picks);
  return { entries, shortages, picks };
}

function key(b: { lotCode: string; locationCode: string }): string {
  return `${b.lotCode}@${b.locationCode}`;
}

function toCandidate(row: {
  lot_code: string;
  location_code: string;
  part_code: string;
  quantity: number;
  created_at: string;
}): Candidate {
  return {
    lotCode: row.lot_code,
    locationCode: row.location_code,
    partCode: row.part_code,
    quantity: Number(row.quantity),
    createdAt: row.created_at,
  };
}

interface Choice {
  index: number;
  entry: number;
  lot: string;
  quantity: number | undefined;
}

function validateChoices(
  choices: LotChoice[],
  entries: BuildEntryRow[],
  units: Map<string, { unit: string }>,
): Choice[] {
  const byNo = new Map(entries.map((e) => [e.entry_no, e]));
  return choices.map((c, index) => {
    if (!byNo.has(c.entry)) {
      throw new ValidationError(`lots.${index}.entry`, `the BOM has no entry ${c.entry}`);
    }
    if (byNo.get(c.entry)!.dnp === 1) {
      throw new ValidationError(`lots.${index}.entry`, `entry ${c.entry} is not populated (DNP)`);
    }
    return {
      index,
      entry: c.entry,
      lot: parseCode(c.lot, `lots.${index}.lot`),
      quantity:
        c.quantity === undefined
          ? undefined
          : parseQuantity(c.quantity, `lots.${index}.quantity`, {
              unit: units.get(byNo.get(c.entry)!.part_code)!.unit as Unit,
              sign: 'positive',
            }),
    };
  });
}

/** Fills each plan entry's picks with lot and location names. */
async function describePicks(db: Database, entries: PlanEntry[], picks: Sourcing['picks']) {
  const [lots, locations] = await Promise.all([
    lotSummaries(db, [...new Set(picks.map((p) => p.lotCode))]),
    locationNames(db, [...new Set(picks.map((p) => p.locationCode))]),
  ]);
  const lotByCode = new Map(lots.map((l) => [l.code, l]));
  const byEntry = new Map(entries.map((e) => [e.entryNo, e]));
  for (const p of picks) {
    const lot = lotByCode.get(p.lotCode);
    if (!lot) throw new NotFoundError('lot', p.lotCode);
    byEntry.get(p.entryNo)!.picks.push({
      lot: { code: lot.code, shortCode: shortCode(lot.code), name: lot.name, expiry: lot.expiry },
      location: { code: p.locationCode, name: locations.get(p.locationCode) ?? '' },
      part: p.partCode,
      quantity: toUnits(p.quantity),
    });
  }
}
