/**
 * History event types (changes other than stock movements, which are in the stock ledger):
 * a closed set of stable strings, never renamed once released.
 */
export const HISTORY_EVENT_TYPES = ['created', 'updated', 'archived', 'restored'] as const;
export type HistoryEventType = (typeof HISTORY_EVENT_TYPES)[number];
