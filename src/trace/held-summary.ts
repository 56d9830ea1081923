import { toUnits } from '../domain/quantity.js';
import type { StockStatus } from '../domain/stock-status.js';
import type { HeldBalance } from '../stock/ledger.repository.js';

/** Stock a recall hold changes to held (and its release gives back): usable or in production. */
export const HELD_FROM: StockStatus[] = ['on_hand', 'in_production'];

/** Balances a hold took or a release returned: how many lots, and per status what and how much. */
export function summarizeHeld(balances: readonly HeldBalance[]) {
  return {
    lots: new Set(balances.map((b) => b.lot_code)).size,
    balances: balances.length,
    byStatus: HELD_FROM.map((status) => {
      const of = balances.filter((b) => b.status === status);
      return {
        status,
        balances: of.length,
        quantity: toUnits(of.reduce((n, b) => n + b.quantity, 0)),
      };
    }).filter((s) => s.balances > 0),
  };
}
