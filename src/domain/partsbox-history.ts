import type { StockStatus } from './stock-status.js';

/**
 * Replaying a PartsBox part's stock history (`part/stock`) as Tracelot stock operations.
 *
 * PartsBox keeps a part's stock as a list of signed entries (quantity, storage location, lot,
 * status, time). Tracelot keeps a ledger of operations on lots. A move in PartsBox is two entries
 * of one lot at the same time, -n at one place and +n at another; a status change the same at one
 * place. Every other entry adds to or takes from one balance; the first that adds to a lot
 * receives it.
 */

/** One `part/stock` entry, its references already turned into Tracelot codes. */
export interface HistoryEntry {
  /** Position in `part/stock`, for messages. */
  index: number;
  lot: string;
  location: string;
  status: StockStatus;
  /** In the part's unit, signed; never 0. */
  quantity: number;
  timestamp: number;
  comments: string;
}

export type StockStep =
  | { op: 'receive'; entry: HistoryEntry; quantity: number }
  | { op: 'add'; entry: HistoryEntry; quantity: number; count: number }
  | { op: 'remove'; entry: HistoryEntry; quantity: number }
  | { op: 'move'; entry: HistoryEntry; to: string; quantity: number }
  | { op: 'status'; entry: HistoryEntry; to: StockStatus; quantity: number };

/**
 * The operations that rebuild the balances of `entries` (of one part), in time order.
 * `refuse(index, reason)` makes the error for an entry that would take more than a balance holds.
 * E.g. entries +10 at A (t1), -4 at A and +4 at B (t2), -1 at B (t3) → receive 10 at A, move 4
 * to B, remove 1 at B.
 */
export function planStockHistory(
  entries: readonly HistoryEntry[],
  refuse: (index: number, reason: string) => Error,
): { steps: StockStep[]; balances: Map<string, number> } {
  const sorted = [...entries].sort((a, b) => a.timestamp - b.timestamp || a.index - b.index);
  const balances = new Map<string, number>();
  const received = new Set<string>();
  const steps: StockStep[] = [];
  const key = (lot: string, location: string, status: StockStatus) =>
    `${lot} ${location} ${status}`;
  const change = (e: HistoryEntry, location: string, status: StockStatus, delta: number) => {
    const k = key(e.lot, location, status);
    const next = round((balances.get(k) ?? 0) + delta);
    if (next < 0) {
      throw refuse(
        e.index,
        `takes ${-delta} from a balance that holds ${balances.get(k) ?? 0} at that time`,
      );
    }
    balances.set(k, next);
    return next;
  };
  for (const group of sameMoment(sorted)) {
    const rest = [...group];
    while (rest.length) {
      const e = rest.shift()!;
      const partner = e.quantity < 0 ? rest.findIndex((o) => pairs(e, o)) : -1;
      if (partner >= 0) {
        const [p] = rest.splice(partner, 1);
        const quantity = p!.quantity;
        change(e, e.location, e.status, -quantity);
        change(p!, p!.location, p!.status, quantity);
        steps.push(
          p!.location !== e.location
            ? { op: 'move', entry: e, to: p!.location, quantity }
            : { op: 'status', entry: e, to: p!.status, quantity },
        );
        continue;
      }
      const count = change(e, e.location, e.status, e.quantity);
      if (e.quantity < 0) steps.push({ op: 'remove', entry: e, quantity: -e.quantity });
      else if (!received.has(e.lot)) steps.push({ op: 'receive', entry: e, quantity: e.quantity });
      else steps.push({ op: 'add', entry: e, quantity: e.quantity, count });
      received.add(e.lot);
    }
  }
  return { steps, balances };
}

/** A negative entry and the positive one that together move stock or change its status. */
function pairs(out: HistoryEntry, into: HistoryEntry): boolean {
  return (
    into.lot === out.lot &&
    into.quantity === -out.quantity &&
    // A move keeps the status, a status change the place; anything else is two changes.
    (into.location === out.location) !== (into.status === out.status)
  );
}

/** Runs of entries with the same timestamp (the input sorted by time). */
function sameMoment(sorted: HistoryEntry[]): HistoryEntry[][] {
  const groups: HistoryEntry[][] = [];
  for (const e of sorted) {
    const last = groups.at(-1);
    if (last && last[0]!.timestamp === e.timestamp) last.push(e);
    else groups.push([e]);
  }
  return groups;
}

/** Sums of decimal quantities without binary noise (quantities have at most 6 decimals). */
function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
