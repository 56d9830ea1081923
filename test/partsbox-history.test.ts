import { describe, expect, it } from 'vitest';
import { planStockHistory, type HistoryEntry } from '../src/domain/partsbox-history.js';

let index = 0;
const entry = (
  timestamp: number,
  quantity: number,
  location = 'A',
  overrides: Partial<HistoryEntry> = {},
): HistoryEntry => ({
  index: index++,
  lot: 'L',
  location,
  status: 'on_hand',
  quantity,
  timestamp,
  comments: '',
  ...overrides,
});
const refuse = (i: number, reason: string) => new Error(`entry ${i}: ${reason}`);
const ops = (entries: HistoryEntry[]) =>
  planStockHistory(entries, refuse).steps.map(
    (s) =>
      `${s.op} ${s.quantity}${s.op === 'move' ? ` to ${s.to}` : ''}${s.op === 'status' ? ` to ${s.to}` : ''}${s.op === 'add' ? ` = ${s.count}` : ''}`,
  );

describe('planStockHistory: a PartsBox stock history as Tracelot stock operations', () => {
  it('receives the first addition, pairs a move, takes out and adds to the balances', () => {
    // Given out of time order: the plan sorts by time.
    const entries = [
      entry(3, -1, 'B'),
      entry(1, 10),
      entry(2, -4, 'A'),
      entry(2, 4, 'B'),
      entry(4, 5),
    ];
    expect(ops(entries)).toEqual(['receive 10', 'move 4 to B', 'remove 1', 'add 5 = 11']);
    const { balances } = planStockHistory(entries, refuse);
    expect(Object.fromEntries(balances)).toEqual({ 'L A on_hand': 11, 'L B on_hand': 3 });
  });

  it('pairs −n and +n at one place in two statuses as a status change', () => {
    expect(ops([entry(1, 5), entry(2, -2), entry(2, 2, 'A', { status: 'rejected' })])).toEqual([
      'receive 5',
      'status 2 to rejected',
    ]);
  });

  it('keeps entries of one time that do not pair as separate changes', () => {
    // Both place and status differ: a removal and an addition, not one operation.
    expect(ops([entry(1, 5), entry(2, -2), entry(2, 2, 'B', { status: 'held' })])).toEqual([
      'receive 5',
      'remove 2',
      'add 2 = 2',
    ]);
  });

  it('refuses an entry that takes more than its balance holds at that time', () => {
    const first = entry(1, 3);
    const over = entry(2, -4);
    expect(() => planStockHistory([first, over], refuse)).toThrow(
      `entry ${over.index}: takes 4 from a balance that holds 3 at that time`,
    );
  });
});
