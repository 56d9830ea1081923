import type {
  HistoryEventType,
  PartKind,
  Role,
  StockEntryType,
  StockStatus,
  Unit,
} from './api/types.js';

// Records keyed by the server's own union types: a new status or kind on the server is a
// type error here until it has a label.

export const STATUS_LABELS: Record<StockStatus, string> = {
  on_hand: 'On hand',
  in_production: 'In production',
  allocated: 'Allocated',
  held: 'Held',
  rejected: 'Rejected',
  in_transit: 'In transit',
  ordered: 'Ordered',
  planned: 'Planned',
};
export const STOCK_STATUSES = Object.keys(STATUS_LABELS) as StockStatus[];

export const KIND_LABELS: Record<PartKind, string> = {
  component: 'Component',
  sub_assembly: 'Sub-assembly',
  meta_part: 'Meta-part',
};
export const PART_KINDS = Object.keys(KIND_LABELS) as PartKind[];

export const UNIT_LABELS: Record<Unit, string> = {
  pcs: 'pieces (pcs)',
  m: 'metres (m)',
  cm: 'centimetres (cm)',
  mm: 'millimetres (mm)',
  kg: 'kilograms (kg)',
  g: 'grams (g)',
  mg: 'milligrams (mg)',
  l: 'litres (l)',
  ml: 'millilitres (ml)',
};
export const UNITS = Object.keys(UNIT_LABELS) as Unit[];

export const ENTRY_LABELS: Record<StockEntryType, string> = {
  received: 'Received',
  moved: 'Moved',
  split: 'Split',
  removed: 'Removed',
  adjusted: 'Counted',
  status_changed: 'Status changed',
  consumed: 'Consumed by a build',
  produced: 'Produced',
  scrapped: 'Scrapped',
  cancelled: 'Build cancelled',
  installed: 'Installed',
  uninstalled: 'Uninstalled',
  shipped: 'Shipped',
  returned: 'Returned',
  reversed: 'Reversed (a correction)',
  shipment_reversed: 'Shipment reversed',
};

export const EVENT_LABELS: Record<HistoryEventType, string> = {
  created: 'Created',
  updated: 'Changed',
  archived: 'Archived',
  restored: 'Restored',
  build_started: 'Build started',
  stage_completed: 'Stage completed',
  unit_scrapped: 'Unit scrapped',
  build_finished: 'Build finished',
  build_cancelled: 'Build cancelled',
  installed: 'Installed',
  uninstalled: 'Uninstalled',
  serial_assigned: 'Customer serial assigned',
  shipped: 'Shipped',
  returned: 'Returned',
  repair_started: 'Repair started',
  released: 'Released from repair',
  service_event: 'Service event',
  attachment_added: 'File attached',
  attachment_removed: 'File removed',
  test_recorded: 'Tests recorded',
  tests_overridden: 'Required tests overridden',
  signed: 'Signed',
  signature_refused: 'Signature refused (wrong password)',
  completion_reversed: 'Stage completion reversed',
  build_bom_changed: "Build's BOM line changed",
  shipment_reversed: 'Shipment reversed',
  test_voided: 'Test result voided',
  test_type_corrected: 'Test type corrected',
  recall_held: 'Stock held for a recall',
  recall_released: 'Recall hold released',
  bom_approved: 'BOM revision approved',
  conflict_resolved: 'sync conflict resolved',
  printed: 'Label printed',
  print_sent: 'Print job sent',
  print_failed: 'Print job failed',
  print_retried: 'Print job retried',
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'admin',
  editor: 'editor',
  viewer: 'viewer',
  site: 'another site',
};

/** What the object kinds of the resolver are called on screen. */
export const OBJECT_LABELS: Record<string, string> = {
  part: 'Part',
  location: 'Location',
  lot: 'Lot',
  project: 'Project',
  build: 'Build',
  shipment: 'Shipment',
  service_event: 'Service event',
  test_template: 'Test',
};

/** `1,250 pcs`, `0.25 m`: quantities are exact to six decimals. */
export function formatQuantity(quantity: number, unit?: string): string {
  const number = quantity.toLocaleString(undefined, { maximumFractionDigits: 6 });
  return unit ? `${number} ${unit}` : number;
}

/** A name as the change log stores it (`stage_completed`), in words: `stage completed`. */
export function storedName(name: string): string {
  return name.replaceAll('_', ' ');
}

/** `1 unit`, `3 units`: a count with its noun. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${formatQuantity(count)} ${count === 1 ? noun : nouns}`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A recorded value as text: lists joined, custom fields as `key: value`, empty said so. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? entries.map(([k, v]) => `${k}: ${String(v)}`).join('; ') : '(none)';
  }
  return String(value);
}

/** Names of the fields as the history records them (API names; database names in older records). */
export const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  comments: 'Comments',
  expiry: 'Expiry',
  vendorLot: 'Vendor lot',
  vendor_lot: 'Vendor lot',
  dateCode: 'Date code',
  date_code: 'Date code',
  orderRef: 'Order ref',
  order_ref: 'Order ref',
  tags: 'Tags',
  customFields: 'Custom fields',
  fileName: 'File',
  mediaType: 'Type',
};

/** `2.4 MB`, `512 KB`, `12 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}
