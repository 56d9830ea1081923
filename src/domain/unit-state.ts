/**
 * Where a unit (a serialized device, a lot of quantity one) is in its life. A closed set of
 * stable strings. `held` and `rejected` are never stored: a unit in stock whose stock was put
 * aside (a recall hold, a rejection) is in that state for as long as its stock is (unitState).
 */
export const UNIT_STATES = [
  'in_production',
  'available',
  'held',
  'rejected',
  'installed',
  'shipped',
  'returned',
  'in_repair',
  'scrapped',
] as const;
export type UnitState = (typeof UNIT_STATES)[number];

/** The statuses of stock that put a unit aside. */
const ASIDE = new Set<string>(['held', 'rejected']);

/** The status among a unit's stock that puts it aside: held before rejected, else null. */
export function asideStatus(statuses: Iterable<string>): string | null {
  let found: string | null = null;
  for (const s of statuses) if (ASIDE.has(s) && (found === null || s < found)) found = s;
  return found;
}

/**
 * The one state of a unit that every page, list and check uses: its stored lifecycle state,
 * except that a unit in production or available whose stock is held or rejected is `held` or
 * `rejected` (it ships, installs and builds on only once its stock is on hand again). Returned
 * and in-repair units keep their state: their stock is held as part of it.
 * E.g. `unitState('available', 'held')` → `held`; `unitState('returned', 'held')` → `returned`.
 */
export function unitState(lifecycle: string, stockAside: string | null): UnitState {
  if (
    stockAside !== null &&
    ASIDE.has(stockAside) &&
    (lifecycle === 'available' || lifecycle === 'in_production')
  )
    return stockAside as UnitState;
  return lifecycle as UnitState;
}
