/**
 * History event types (changes other than stock movements, which are in the stock ledger):
 * a closed set of stable strings, never renamed once released.
 */
export const HISTORY_EVENT_TYPES = [
  'created',
  'updated',
  'archived',
  'restored',
  'build_started',
  'stage_completed',
  'unit_scrapped',
  'build_finished',
  'build_cancelled',
  'installed',
  'uninstalled',
  'serial_assigned',
  'shipped',
  'returned',
  'repair_started',
  'released',
  'service_event',
  'attachment_added',
  'attachment_removed',
  'test_recorded',
  'tests_overridden',
  'signed',
  'signature_refused',
  'completion_reversed',
  'build_bom_changed',
  'shipment_reversed',
  'test_voided',
  'test_type_corrected',
  'recall_held',
  'recall_released',
  'bom_approved',
  'conflict_resolved',
] as const;
export type HistoryEventType = (typeof HISTORY_EVENT_TYPES)[number];
