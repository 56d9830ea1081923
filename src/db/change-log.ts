import { AsyncLocalStorage } from 'node:async_hooks';
import {
  AliasNode,
  ColumnNode,
  ColumnUpdateNode,
  InsertQueryNode,
  IdentifierNode,
  PrimitiveValueListNode,
  RawNode,
  SelectionNode,
  SelectQueryNode,
  sql,
  TableNode,
  UpdateQueryNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  type CompiledQuery,
  type KyselyPlugin,
  type OperationNode,
  type RootOperationNode,
} from 'kysely';
import {
  CHANGE_RECORD_VERSION,
  ledgerLineOf,
  nextHlc,
  storedRecordOf,
  type ChangeEvent,
  type ChangeRecord,
  type LedgerLine,
} from '../domain/change-record.js';
import { newCode } from '../domain/code.js';
import type { StockEntryType } from '../domain/stock-status.js';
import type { SignatureMeaning } from '../domain/signature.js';
import type { UnitState } from '../domain/unit-state.js';
import { enqueueWebhookEvents } from '../webhooks/outbox.js';
import { insertMany } from './bulk.js';
import type { Database } from './database.js';
import { isPostgres } from './migrations/helpers.js';
import { lockHead, setSiteHead, type Head } from './site.repository.js';
import { NUMBERED, SYNCED } from './synced-tables.js';

/**
 * The change log's writer (DESIGN.md "Change log"; invariant 3): every transaction that changes
 * data appends one change record, in that transaction, before it commits. Services do not write
 * records themselves: what they already say of their work is gathered here while the transaction
 * runs — the history events (appendHistory), the ledger operations (src/stock/ledger.ts), the
 * unit states set (src/lots/lot.repository.ts) — and `inTransaction` writes it as one record at
 * the end. So a bulk operation is one record listing its objects, never one per unit, and a
 * process killed mid-operation leaves neither the change nor its record.
 *
 * A transaction that writes a logged table and gathers nothing fails: a write the log would not
 * show is a bug, refused rather than committed (the Kysely plugin below sees every write).
 */

interface Pending {
  /** The id of the change's record, known from the start: every row it writes names it. */
  id: string;
  actor: { code: string | null; name: string } | null;
  at: string | null;
  events: ChangeEvent[];
  ledgerOperations: Set<string>;
  firstLedgerType: StockEntryType | null;
  states: Map<string, UnitState | null>;
  objects: Set<string>;
  /** Signatures of the change: each is written as a record of its own, bound to its hash. */
  signatures: { signer: { code: string; name: string }; meaning: SignatureMeaning; at: string }[];
  /** Tables the transaction wrote, as far as the plugin saw (compiled-once statements note their own). */
  wrote: Set<string>;
}

/**
 * Tables that hold no record of what happened: sessions, throttles, the log itself, the webhook
 * outbox; and attachment contents kept in the database, which are addressed by their hash like
 * the files folder (the attachment row that names one is the record).
 */
const UNLOGGED = new Set([
  'user_session',
  'login_throttle',
  'oidc_login',
  'print_claim',
  'change_record',
  'change_object',
  'site',
  'sync_peer',
  'kysely_migration',
  'kysely_migration_lock',
  'webhook_delivery',
  'file_content',
  'file_chunk',
  'instance_setting',
]);

const scope = new AsyncLocalStorage<Pending>();

/** Why the writes running now are not changes (see unloggedWrites), if they are not. */
const unlogged = new AsyncLocalStorage<string>();

/**
 * Runs writes that are not changes of the record and so gather no change record: a migration,
 * or an import that restores a whole instance, change log included. The reason is for readers
 * of the code and for the error a guarded write outside any transaction raises.
 */
export function unloggedWrites<T>(why: string, fn: () => Promise<T>): Promise<T> {
  return unlogged.run(why, fn);
}

function current(what: string): Pending {
  const pending = scope.getStore();
  if (!pending) throw new Error(`${what} outside a transaction: changes are written in one`);
  return pending;
}

/** Runs an outermost transaction's work with a change being gathered; then writes its record. */
export async function gatherChange<T>(trx: Database, fn: () => Promise<T>): Promise<T> {
  const pending: Pending = {
    id: newCode(),
    actor: null,
    at: null,
    events: [],
    ledgerOperations: new Set(),
    firstLedgerType: null,
    states: new Map(),
    objects: new Set(),
    signatures: [],
    wrote: new Set(),
  };
  // PostgreSQL's tracelot_change() reads the id from the transaction's settings (migration
  // 0021); SQLite's asks currentChangeId() (src/db/database.ts).
  if (isPostgres(trx))
    await sql`select set_config('tracelot.change', ${pending.id}, true)`.execute(trx);
  const result = await scope.run(pending, fn);
  await writeChange(trx, pending);
  return result;
}

/** The id of the record of the change being gathered here, if one is. */
export function currentChangeId(): string | null {
  return scope.getStore()?.id ?? null;
}

function noteActor(pending: Pending, actor: { code: string | null; name: string }, at: string) {
  pending.actor ??= { code: actor.code, name: actor.name };
  pending.at ??= at;
}

/** History events of the change (the events of appendHistory). */
export function noteEvents(
  actor: { code: string | null; name: string },
  at: string,
  events: readonly ChangeEvent[],
): void {
  const pending = current('history');
  noteActor(pending, actor, at);
  for (const e of events) {
    pending.events.push(e);
    pending.objects.add(e.subject);
  }
}

/** A ledger operation of the change: its entries are read back into the record. */
export function noteLedgerOperation(op: {
  operation: string;
  type: StockEntryType;
  actor: { code: string | null; name: string };
  at: string;
}): void {
  const pending = current('a stock movement');
  noteActor(pending, op.actor, op.at);
  pending.firstLedgerType ??= op.type;
  pending.ledgerOperations.add(op.operation);
}

/** Units whose lifecycle state the change set. */
export function noteUnitStates(codes: readonly string[], state: UnitState | null): void {
  const pending = current('a unit state change');
  for (const code of codes) {
    pending.states.set(code, state);
    pending.objects.add(code);
  }
}

/**
 * Signs the change being written (an electronic signature, 21 CFR 11.50/11.70): after the
 * change's record, in the same transaction, a record of the signer, the meaning and the time
 * that holds the signed record's hash — so the signature cannot be moved to another record, nor
 * the signed record changed without breaking it. The caller has checked the signer's password.
 */
export function noteSignature(signature: {
  signer: { code: string; name: string };
  meaning: SignatureMeaning;
  at: string;
}): void {
  current('a signature').signatures.push(signature);
}

/**
 * Notes a write to `table` before it runs: the plugin calls it for every statement Kysely
 * compiles, and code that runs a statement compiled once calls it by hand (bulk.ts, prepared.ts).
 * Outside a transaction of inTransaction a write to a logged table throws before it runs: it
 * would change the record with no change record, and no audit could see it. Only the tables
 * that hold no record (UNLOGGED) and writes inside unloggedWrites are let through.
 */
export function noteWrite(table: string): void {
  const pending = scope.getStore();
  if (pending) {
    pending.wrote.add(table);
    return;
  }
  if (UNLOGGED.has(table) || unlogged.getStore() !== undefined) return;
  throw new Error(
    `a write to ${table} outside a transaction: writes go through inTransaction, which logs them in the change log`,
  );
}

/** Notes the write of a statement compiled earlier (see noteWrite), if it writes. */
export function noteCompiledWrite(query: CompiledQuery): void {
  const table = writtenTable(query.query);
  if (table !== undefined) noteWrite(table);
}

async function writeChange(db: Database, pending: Pending): Promise<void> {
  const logged = [...pending.wrote].filter((t) => !UNLOGGED.has(t));
  const empty =
    pending.events.length === 0 && pending.ledgerOperations.size === 0 && pending.states.size === 0;
  if (empty) {
    if (logged.length > 0)
      throw new Error(`a write to ${logged.join(', ')} gathered no change record`);
    return;
  }
  if (!pending.actor || !pending.at) throw new Error('a change without an actor');
  const ledger = await ledgerLines(db, [...pending.ledgerOperations]);
  for (const line of ledger) pending.objects.add(line[2]);
  const head = await lockHead(db);
  const signed = await appendRecord(db, head, pending.id, {
    at: pending.at,
    actor: pending.actor,
    operation: operationOf(pending),
    objects: [...pending.objects].sort(),
    events: pending.events,
    ledger,
    states: [...pending.states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  });
  const { actor, at, events } = pending;
  await enqueueWebhookEvents(db, [
    { id: signed.id, site: head.id, at, actor, operation: signed.operation, events, ledger },
  ]);
  let last = signed;
  for (const s of pending.signatures) {
    // Shown in the history of what the signed change is about: its events' subjects, or, for a
    // change of stock alone (a recall hold), every lot it moved.
    const subjects =
      pending.events.length > 0
        ? [...new Set(pending.events.map((e) => e.subject))]
        : [...pending.objects];
    const data = { meaning: s.meaning, record: signed.id, operation: signed.operation };
    last = await appendRecord(db, last.head, newCode(), {
      at: s.at,
      actor: s.signer,
      operation: 'signed',
      objects: subjects.sort(),
      events: subjects.map((subject) => ({ subject, type: 'signed' as const, data })),
      ledger: [],
      states: [],
      signs: { record: signed.id, hash: signed.hash, meaning: s.meaning },
    });
  }
  await setSiteHead(db, last.head);
}

/** Appends a record after `head`; returns it with the new head. */
async function appendRecord(
  db: Database,
  head: Head,
  id: string,
  body: Omit<ChangeRecord, 'v' | 'id' | 'site' | 'seq' | 'hlc'>,
): Promise<{ id: string; hash: string; operation: string; head: Head }> {
  const record: ChangeRecord = {
    v: CHANGE_RECORD_VERSION,
    id,
    site: head.id,
    seq: Number(head.head_seq) + 1,
    hlc: nextHlc(head.head_hlc, Date.parse(body.at)),
    ...body,
  };
  const stored = storedRecordOf(record, head.head_hash);
  const hash = stored.hash;
  await db.insertInto('change_record').values(stored).execute();
  await insertMany(
    db,
    'change_object',
    record.objects.map((code) => ({ object_code: code, change_id: record.id })),
  );
  return {
    id: record.id,
    hash,
    operation: record.operation,
    head: { id: head.id, head_seq: record.seq, head_hash: hash, head_hlc: record.hlc },
  };
}

/**
 * What the change did, in one word: its first event that is not the creation of an object (a
 * shipment is created to ship units: the change is `shipped`), else its first event, else the
 * type of its first ledger entry (receipts, moves and counts have no events).
 */
function operationOf(pending: Pending): string {
  const events = pending.events;
  return (
    events.find((e) => e.type !== 'created')?.type ??
    events[0]?.type ??
    pending.firstLedgerType ??
    'unit_state'
  );
}

/** The columns of a ledger entry that a record lists (see ledgerLineOf); verify reads the same. */
export const LEDGER_LINE_COLUMNS = [
  'operation',
  'type',
  'lot_code',
  'part_code',
  'location_code',
  'status',
  'quantity',
  'ref_code',
  'note',
] as const;

async function ledgerLines(db: Database, operations: string[]): Promise<LedgerLine[]> {
  if (operations.length === 0) return [];
  const rows = await db
    .selectFrom('stock_entry')
    .select(LEDGER_LINE_COLUMNS)
    .where('operation', 'in', operations)
    .orderBy('id')
    .execute();
  return rows.map(ledgerLineOf);
}

/**
 * Sees every write Kysely compiles, so that a transaction writing without a record fails, and a
 * write outside any transaction fails before it runs (noteWrite); and stamps the rows of synced
 * tables it writes with their version (withRowVersion).
 */
export const changeGuardPlugin: KyselyPlugin = {
  transformQuery({ node }) {
    const table = writtenTable(node);
    if (table === undefined) return node;
    noteWrite(table);
    return withRowVersion(node, table);
  },
  transformResult: async ({ result }) => result,
};

function writtenTable(node: RootOperationNode): string | undefined {
  switch (node.kind) {
    case 'InsertQueryNode':
      return node.into?.table.identifier.name;
    case 'UpdateQueryNode':
      return node.table ? tableOf(node.table) : undefined;
    case 'DeleteQueryNode':
      return node.from.froms[0] ? tableOf(node.from.froms[0]) : undefined;
    case 'RawNode': {
      const text = node.sqlFragments.join('?');
      return /^\s*(?:insert\s+into|update|delete\s+from)\s+"?(\w+)/i.exec(text)?.[1];
    }
    default:
      return undefined;
  }
}

function tableOf(node: OperationNode): string | undefined {
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableOf(node.node);
  return undefined;
}

const CHANGE_ID = RawNode.createWithSql('tracelot_change()');
const NEW_UID = RawNode.createWithSql('tracelot_uid()');

/**
 * A write to a synced table (src/db/synced-tables.ts) with the row version set in the same
 * statement: `change_id` = the record of the change being gathered, and, for a numbered table's
 * new row, a random `uid`. Both are SQL functions rather than values, so a statement compiled
 * once (bulk.ts, prepared.ts) stays the same text with the same parameters for every change.
 * A statement that sets a column itself (an import, a sync applying rows) keeps its value.
 */
function withRowVersion(node: RootOperationNode, table: string): RootOperationNode {
  if (!SYNCED.has(table)) return node;
  const inChange = scope.getStore() !== undefined;
  if (InsertQueryNode.is(node)) {
    const added: [string, RawNode][] = [];
    const columns = node.columns?.map((c) => c.column.name) ?? [];
    if (inChange && !columns.includes('change_id')) added.push(['change_id', CHANGE_ID]);
    if (NUMBERED.has(table) && !columns.includes('uid')) added.push(['uid', NEW_UID]);
    if (added.length === 0 || !node.columns || !node.values) return node;
    const columnsAdded = [...node.columns, ...added.map(([name]) => ColumnNode.create(name))];
    if (SelectQueryNode.is(node.values)) {
      // insert … select: the values are selected alongside the rows' own.
      const selections = added.map(([name, value]) =>
        SelectionNode.create(AliasNode.create(value, IdentifierNode.create(name))),
      );
      const select = {
        ...node.values,
        selections: [...(node.values.selections ?? []), ...selections],
      };
      return { ...node, columns: columnsAdded, values: select } as InsertQueryNode;
    }
    if (!ValuesNode.is(node.values)) return node;
    const values = node.values.values.map((list) =>
      ValueListNode.create([
        ...(PrimitiveValueListNode.is(list)
          ? list.values.map((v) => ValueNode.create(v))
          : list.values),
        ...added.map(([, value]) => value),
      ]),
    );
    const onConflict =
      node.onConflict?.updates && inChange
        ? { ...node.onConflict, updates: withChangeId(node.onConflict.updates) }
        : node.onConflict;
    return {
      ...node,
      columns: columnsAdded,
      values: ValuesNode.create(values),
      onConflict,
    } as InsertQueryNode;
  }
  if (UpdateQueryNode.is(node) && inChange && node.updates)
    return { ...node, updates: withChangeId(node.updates) } as UpdateQueryNode;
  return node;
}

function withChangeId(updates: readonly ColumnUpdateNode[]): readonly ColumnUpdateNode[] {
  const sets = updates.some((u) => ColumnNode.is(u.column) && u.column.column.name === 'change_id');
  return sets
    ? updates
    : [...updates, ColumnUpdateNode.create(ColumnNode.create('change_id'), CHANGE_ID)];
}
