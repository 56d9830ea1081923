import { QUANTITY_SCALE } from './quantity.js';

/** How lots are picked for a build when none are chosen by hand. */
export const PICKING = ['fifo', 'lifo', 'largest', 'smallest'] as const;
export type Picking = (typeof PICKING)[number];

export interface EntryNeedInput {
  units: number;
  /** Per unit, in millionths. */
  perUnit: number;
  /** Parts per million of the need (2.5 % = 25000). */
  attritionPpm: number;
  /** Millionths, added once. */
  attritionFixed: number;
  /** Counted parts are needed in whole pieces. */
  countable: boolean;
}

/**
 * What an entry needs, in millionths: units × per unit, plus attrition, rounded up to a whole
 * piece for counted parts. E.g. 100 units × 2 pcs + 2.5 % → 205 pcs (205000000).
 */
export function entryNeed(input: EntryNeedInput): number {
  const base = BigInt(input.units) * BigInt(input.perUnit);
  const extra = (base * BigInt(input.attritionPpm) + 999_999n) / 1_000_000n;
  let total = base + extra + BigInt(input.attritionFixed);
  if (input.countable) {
    const scale = BigInt(QUANTITY_SCALE);
    total = ((total + scale - 1n) / scale) * scale;
  }
  return Number(total);
}

/** A balance that may be picked: one lot at one location, on hand. */
export interface Candidate {
  lotCode: string;
  locationCode: string;
  partCode: string;
  /** Millionths available. */
  quantity: number;
  /** When the lot was received or made (FIFO/LIFO order). */
  createdAt: string;
}

export interface Pick {
  lotCode: string;
  locationCode: string;
  partCode: string;
  quantity: number;
}

/** Candidates in the order a strategy takes them (ties broken by lot code: deterministic). */
export function orderCandidates(candidates: Candidate[], picking: Picking): Candidate[] {
  const byCode = (a: Candidate, b: Candidate) =>
    a.lotCode < b.lotCode
      ? -1
      : a.lotCode > b.lotCode
        ? 1
        : a.locationCode < b.locationCode
          ? -1
          : 1;
  const order: Record<Picking, (a: Candidate, b: Candidate) => number> = {
    fifo: (a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : byCode(a, b)),
    lifo: (a, b) => (a.createdAt > b.createdAt ? -1 : a.createdAt < b.createdAt ? 1 : byCode(a, b)),
    largest: (a, b) => b.quantity - a.quantity || byCode(a, b),
    smallest: (a, b) => a.quantity - b.quantity || byCode(a, b),
  };
  return [...candidates].sort(order[picking]);
}

/**
 * Takes `need` from candidates in the order given (callers order each part's candidates and put
 * substitutes after the part itself). Returns the picks and what is still missing (0 when covered).
 */
export function pickLots(
  need: number,
  ordered: readonly Candidate[],
): { picks: Pick[]; short: number } {
  const picks: Pick[] = [];
  let missing = need;
  for (const c of ordered) {
    if (missing <= 0) break;
    const take = Math.min(c.quantity, missing);
    if (take <= 0) continue;
    picks.push({
      lotCode: c.lotCode,
      locationCode: c.locationCode,
      partCode: c.partCode,
      quantity: take,
    });
    missing -= take;
  }
  return { picks, short: missing };
}
