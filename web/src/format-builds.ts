import type {
  BomField,
  BomFormat,
  BuildStatus,
  MatchKind,
  Picking,
  RecallState,
  UnitState,
} from './api/types.js';

// Labels of projects, builds, units and recalls, keyed by the server's union types (see
// format.ts): a new state on the server is a type error here until it has a label.

export const UNIT_STATE_LABELS: Record<UnitState, string> = {
  in_production: 'In production',
  available: 'Available',
  held: 'Held',
  rejected: 'Rejected',
  installed: 'Installed',
  shipped: 'Shipped',
  returned: 'Returned',
  in_repair: 'In repair',
  scrapped: 'Scrapped',
};

export const RECALL_STATE_LABELS: Record<RecallState, string> = {
  ...UNIT_STATE_LABELS,
  in_stock: 'In stock',
  used_up: 'Used up',
};

export const BUILD_STATUS_LABELS: Record<BuildStatus, string> = {
  in_progress: 'In progress',
  finished: 'Finished',
  cancelled: 'Cancelled',
};
export const BUILD_STATUSES = Object.keys(BUILD_STATUS_LABELS) as BuildStatus[];

export const PICKING_LABELS: Record<Picking, string> = {
  fifo: 'FIFO: oldest lot first',
  lifo: 'LIFO: newest lot first',
  largest: 'Largest lot first',
  smallest: 'Smallest lot first',
};
export const PICKINGS = Object.keys(PICKING_LABELS) as Picking[];

export const MATCH_LABELS: Record<MatchKind, string> = {
  part: 'by part code',
  mpn: 'by MPN',
  value_footprint: 'by value + footprint',
  new: 'new part',
};

export const BOM_FIELD_LABELS: Record<BomField, string> = {
  reference: 'Designators',
  quantity: 'Quantity',
  mpn: 'MPN',
  manufacturer: 'Manufacturer',
  value: 'Value',
  footprint: 'Footprint',
  description: 'Description',
  dnp: 'Do not populate',
  stage: 'Stage',
  comments: 'Comments',
  part: 'Part code',
};
export const BOM_FIELDS = Object.keys(BOM_FIELD_LABELS) as BomField[];

export const BOM_FORMAT_LABELS: Record<BomFormat, string> = {
  kicad_grouped_by_value: 'KiCad BOM, grouped by value',
  kicad_fields_table: 'KiCad symbol fields table',
  generic: 'CSV',
};
