import type { Insertable } from 'kysely';
import type { Database } from '../db/database.js';
import { knowsOtherSites, locationsOfOtherSites } from '../db/site.repository.js';
import type { StockEntryTable } from '../db/schema.js';
import { shortCode } from '../domain/code.js';
import { ConflictError, InsufficientStockError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import type { StockEntryType } from '../domain/stock-status.js';
import {
  decreaseBalance,
  decreaseBalances,
  entriesOf,
  entriesOfOperation,
  increaseBalance,
  increaseBalances,
  insertBalances,
  insertEntries,
  releaseOutputs,
  replaceBalance,
  takeBalancesOf,
  type HeldBalance,
  type LotSet,
} from './ledger.repository.js';
import type { BalanceKey } from './stock.repository.js';

/**
 * The stock ledger: the one writer of stock_balance and stock_entry (test/ledger-owner.test.ts
 * keeps it so). Each function changes balances and appends their ledger entries together, in
 * the caller's transaction, so that balances always equal the sum of the ledger (invariant 2).
 *
 * Guards: a balance is decreased only if it holds enough, in the same statement (concurrent
 * requests cannot both take the last units); when one does not, the function throws before
 * writing any entry and the caller's transaction, failing, undoes the balances changed before.
 * Multi-row writes touch balances in key order. Callers that read states before writing lock
 * the lots first (lockLots: in code order), as they did before the ledger had one module.
 */

/** What one request does to stock: every entry it writes carries these. */
export interface LedgerOperation {
  /** One code for every entry of the request. */
  operation: string;
  type: StockEntryType;
  actor: Pick<Actor, 'code' | 'name'>;
  at: string;
  note: string;
  /** What caused it: the build, shipment or unit; none for plain stock operations. */
  ref?: string | null;
}

/** A change of one balance: a signed quantity in millionths. */
export interface Movement extends BalanceKey {
  part_code: string;
  /** Negative takes out (only what the balance holds), positive puts in, 0 records a count. */
  quantity: number;
  /** This movement's own note (each item of a receipt has one), instead of the operation's. */
  note?: string;
}

/** The error to fail with when balances hold less than a movement takes. */
export type Refusal = (short: BalanceKey[]) => Error | Promise<Error>;

const insufficient: Refusal = (short) =>
  new InsufficientStockError(
    `lot ${shortCode(short[0]!.lot_code)} holds less ${short[0]!.status} stock there than requested`,
    'quantity',
  );

/**
 * Takes out the negative movements (guarded), puts in the positive ones (creating balances),
 * and appends one entry per movement in the order given. Throws `refused(short)` when a balance
 * holds too little, having written no entry.
 */
export async function recordMovements(
  db: Database,
  op: LedgerOperation,
  movements: readonly Movement[],
  refused: Refusal = insufficient,
): Promise<void> {
  if (movements.length === 0) return;
  await refuseOtherSites(db, movements);
  const out = movements.filter((m) => m.quantity < 0);
  const into = movements.filter((m) => m.quantity > 0);
  if (out.length === 1) {
    const m = out[0]!;
    const key = keyOf(m);
    if ((await decreaseBalance(db, key, -m.quantity)) === undefined) throw await refused([key]);
  } else if (out.length > 1) {
    const short = await decreaseBalances(
      db,
      out.map((m) => ({ ...keyOf(m), quantity: -m.quantity })),
    );
    if (short.length > 0) throw await refused(short.map(keyOf));
  }
  if (into.length === 1) {
    const m = into[0]!;
    await increaseBalance(db, keyOf(m), m.part_code, m.quantity);
  } else if (into.length > 1) {
    await increaseBalances(db, into.map(balanceOf));
  }
  await insertEntries(
    db,
    movements.map((m) => entryOf(op, m)),
  );
}

/** Takes whole balances out of stock (scrapping, cancelling, shipping): their entries negated. */
export async function takeOutBalances(
  db: Database,
  op: LedgerOperation,
  balances: readonly (BalanceKey & { part_code: string; quantity: number })[],
  refused: Refusal = insufficient,
): Promise<void> {
  await recordMovements(
    db,
    op,
    balances.map((b) => ({ ...keyOf(b), part_code: b.part_code, quantity: -b.quantity })),
    refused,
  );
}

/**
 * The first stock of lots made in this transaction (a receipt, a build's output): their
 * balances cannot exist yet, so they are plain multi-row inserts.
 */
export async function recordNewStock(
  db: Database,
  op: LedgerOperation,
  movements: readonly Movement[],
): Promise<void> {
  if (movements.some((m) => !(m.quantity > 0))) {
    throw new Error('new stock: every quantity must be positive');
  }
  await refuseOtherSites(db, movements);
  await insertBalances(db, movements.map(balanceOf));
  await insertEntries(
    db,
    movements.map((m) => entryOf(op, m)),
  );
}

/**
 * Records a count: the balance becomes `count`, the entry is the difference. `held` is what the
 * balance held when read (undefined: no balance); a balance changed since fails with
 * `refused`, so a concurrent change is never overwritten.
 */
export async function recordCount(
  db: Database,
  op: LedgerOperation,
  balance: BalanceKey & { part_code: string },
  held: number | undefined,
  count: number,
  refused: Refusal,
): Promise<void> {
  const key = keyOf(balance);
  await refuseOtherSites(db, [{ ...key, quantity: 0 }]);
  if (held !== undefined) {
    if (!(await replaceBalance(db, key, held, count))) throw await refused([key]);
  } else if (count > 0) {
    await increaseBalance(db, key, balance.part_code, count);
  }
  await insertEntries(db, [
    entryOf(op, { ...key, part_code: balance.part_code, quantity: count - (held ?? 0) }),
  ]);
}

/**
 * Undoes an earlier operation (a stage completion recorded with the wrong lot): every entry it
 * wrote on `lots` is written again negated, on the same lot, location and status, as entries of
 * `op`. The original entries stay: the ledger is append-only, and the sum of both is zero.
 * Stock it took out comes back; stock it put in is taken out, guarded, failing with `refused`
 * when it is no longer there. Answers how many entries it reversed.
 */
export async function reverseOperation(
  db: Database,
  op: LedgerOperation,
  original: { operation: string; lots: string[] },
  refused: Refusal = insufficient,
): Promise<number> {
  const entries = await entriesOfOperation(db, original.operation, original.lots);
  await recordMovements(
    db,
    op,
    entries.map((e) => ({ ...keyOf(e), part_code: e.part_code, quantity: -e.quantity })),
    refused,
  );
  return entries.length;
}

/**
 * Finishing a build in bulk, whatever the number of units: every in-production balance of its
 * outputs becomes on hand (status_changed entries out and in, referring to the build).
 */
export async function releaseBuildOutputs(
  db: Database,
  op: Omit<LedgerOperation, 'type' | 'ref'>,
  build: string,
): Promise<void> {
  await releaseOutputs(db, build, {
    operation: op.operation,
    note: op.note,
    actor_code: op.actor.code,
    actor_name: op.actor.name,
    created_at: op.at,
  });
}

/**
 * Holds (a recall) every balance of `from` statuses of the lots, in one guarded statement, with
 * a status_changed pair of entries per balance. Returns what it held: balances changed
 * concurrently are held as they are after that change.
 */
export async function holdStockOf(
  db: Database,
  op: LedgerOperation,
  lots: LotSet,
  from: readonly string[],
): Promise<HeldBalance[]> {
  const taken = await takeBalancesOf(db, lots, from);
  if (taken.length === 0) return taken;
  await increaseBalances(
    db,
    taken.map((b) => ({ ...b, status: 'held' })),
  );
  await insertEntries(
    db,
    taken.flatMap((b) => [
      entryOf(op, { ...b, quantity: -b.quantity }),
      entryOf(op, { ...b, status: 'held' }),
    ]),
  );
  return taken;
}

/**
 * Releases a recall hold (holdStockOf's `hold` operation): each balance it changed to held goes
 * back to the status it had, read from the hold's own entries, with a status_changed pair of
 * entries per balance. The held balances are taken in one guarded statement: a lot's held
 * stock at a location that no longer holds all the hold put there (moved or consumed since) is
 * left alone and answered as skipped, with every balance of that lot and location the hold took.
 */
export async function releaseHeldStock(
  db: Database,
  op: LedgerOperation,
  hold: string,
): Promise<{ released: HeldBalance[]; skipped: HeldBalance[] }> {
  const entries = await entriesOf(db, hold);
  // What the hold took: its entries out of the statuses the stock had (the ones into held are
  // their mirror image).
  const taken: HeldBalance[] = entries
    .filter((e) => e.quantity < 0 && e.status !== 'held')
    .map((e) => ({ ...keyOf(e), part_code: e.part_code, quantity: -e.quantity }));
  const place = (b: BalanceKey) => `${b.lot_code}\t${b.location_code}`;
  const held = new Map<string, BalanceKey & { quantity: number }>();
  for (const b of taken) {
    const seen = held.get(place(b));
    held.set(place(b), {
      ...keyOf(b),
      status: 'held',
      quantity: (seen?.quantity ?? 0) + b.quantity,
    });
  }
  const short = new Set((await decreaseBalances(db, [...held.values()])).map(place));
  const released = taken.filter((b) => !short.has(place(b)));
  const skipped = taken.filter((b) => short.has(place(b)));
  if (released.length === 0) return { released, skipped };
  await increaseBalances(db, released);
  await insertEntries(
    db,
    released.flatMap((b) => [
      entryOf(op, { ...b, status: 'held', quantity: -b.quantity }),
      entryOf(op, b),
    ]),
  );
  return { released, skipped };
}

/**
 * Only a location's own site moves stock there (DESIGN.md "Sites"): stock is taken out of,
 * counted at and put into this site's locations. Stock sent to another site's location goes in
 * as in transit, for that site to receive: two sites never change one balance apart.
 */
async function refuseOtherSites(
  db: Database,
  movements: readonly (BalanceKey & { quantity: number })[],
): Promise<void> {
  const locations = new Set<string>();
  for (const m of movements)
    if (!(m.quantity > 0 && m.status === 'in_transit')) locations.add(m.location_code);
  // Most instances are one site: then no location is another's, and a look at the site table
  // alone says so (cheaper than looking up every location moved).
  if (locations.size === 0 || !(await knowsOtherSites(db))) return;
  const [other] = await locationsOfOtherSites(db, [...locations]);
  if (other)
    throw new ConflictError(
      `${other.name} is a location of the site ${other.site}: only that site moves its stock (send stock there in transit)`,
      'location',
    );
}

function keyOf(b: BalanceKey): BalanceKey {
  return { lot_code: b.lot_code, location_code: b.location_code, status: b.status };
}

function balanceOf(m: Movement) {
  return { ...keyOf(m), part_code: m.part_code, quantity: m.quantity };
}

function entryOf(op: LedgerOperation, m: Movement): Insertable<StockEntryTable> {
  return {
    operation: op.operation,
    type: op.type,
    lot_code: m.lot_code,
    part_code: m.part_code,
    location_code: m.location_code,
    status: m.status,
    quantity: m.quantity,
    note: m.note ?? op.note,
    actor_code: op.actor.code,
    actor_name: op.actor.name,
    created_at: op.at,
    ref_code: op.ref ?? null,
  };
}

export type { LotSet };
