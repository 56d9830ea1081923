/**
 * Where a unit (a serialized device, a lot of quantity one) is in its life. A closed set of
 * stable strings. This issue uses in_production, available, installed and scrapped; shipping
 * and repair add the others.
 */
export const UNIT_STATES = [
  'in_production',
  'available',
  'installed',
  'shipped',
  'returned',
  'in_repair',
  'scrapped',
] as const;
export type UnitState = (typeof UNIT_STATES)[number];
