/** Where in its life a quantity of stock is. `on_hand` is usable stock. */
export const STOCK_STATUSES = [
  'on_hand',
  'in_production',
  'allocated',
  'held',
  'rejected',
  'in_transit',
  'ordered',
  'planned',
] as const;
export type StockStatus = (typeof STOCK_STATUSES)[number];

/** Ledger entry types: a closed set of stable strings, never renamed once released. */
export const STOCK_ENTRY_TYPES = [
  'received',
  'moved',
  'split',
  'removed',
  'adjusted',
  'status_changed',
  'consumed',
  'produced',
  'scrapped',
  'cancelled',
  'installed',
  'uninstalled',
  'shipped',
  'returned',
  // An operation undone (a stage completion reversed): its entries negated, same balances.
  'reversed',
  'shipment_reversed',
] as const;
export type StockEntryType = (typeof STOCK_ENTRY_TYPES)[number];
