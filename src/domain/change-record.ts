import { createHash } from 'node:crypto';
import type { HistoryEventType } from './history.js';
import type { SignatureMeaning } from './signature.js';
import type { StockEntryType, StockStatus } from './stock-status.js';
import type { UnitState } from './unit-state.js';

/**
 * The change log's record (DESIGN.md "Change log"): what one write operation did, self-describing
 * so that another site can apply it, immutable, and chained per site by SHA-256.
 *
 * Its stored form is its canonical serialization (`canonicalJson`): keys sorted, no spaces, so
 * the same record always gives the same bytes and the same hash, whoever computes it. A record's
 * hash is SHA-256 over the previous record's hash of its site, a newline, and its serialization:
 * changing, removing or inserting a record breaks every hash after it.
 */
export const CHANGE_RECORD_VERSION = 1;

/** The hash before the first record of a site. */
export const GENESIS_PREVIOUS = '0'.repeat(64);

export interface ChangeEvent {
  subject: string;
  type: HistoryEventType;
  data: Record<string, unknown>;
}

// Kept in signature.ts, which the web app imports too (this file needs node:crypto).

/** One ledger entry: operation, type, lot, part, location, status, quantity, ref, note. */
export type LedgerLine = [
  operation: string,
  type: StockEntryType,
  lot: string,
  part: string,
  location: string,
  status: StockStatus,
  quantity: number,
  ref: string | null,
  note: string,
];

/** A ledger entry's row as a record lists it (the writer and verify build it the same way). */
export function ledgerLineOf(e: {
  operation: string;
  type: StockEntryType;
  lot_code: string;
  part_code: string;
  location_code: string;
  status: StockStatus;
  quantity: number | string;
  ref_code: string | null;
  note: string;
}): LedgerLine {
  return [
    e.operation,
    e.type,
    e.lot_code,
    e.part_code,
    e.location_code,
    e.status,
    Number(e.quantity),
    e.ref_code,
    e.note,
  ];
}

/** A balance at the start of the log (the genesis record's baseline): lot, location, status, quantity. */
export type BalanceLine = [lot: string, location: string, status: StockStatus, quantity: number];

export interface ChangeRecord {
  v: number;
  id: string;
  site: string;
  seq: number;
  hlc: string;
  at: string;
  actor: { code: string | null; name: string };
  /** What was done: the first event's type, or the ledger entry type of a stock-only change. */
  operation: string;
  /** Every object the change touched, sorted: event subjects, lots moved, units whose state changed. */
  objects: string[];
  events: ChangeEvent[];
  ledger: LedgerLine[];
  /** Units whose state the change set, with the state they were left in. */
  states: [code: string, state: UnitState | null][];
  /** A signature record: the record it signs and that record's hash, which binds it. */
  signs?: { record: string; hash: string; meaning: SignatureMeaning };
  /** Only in a site's first record: the stock and unit states before the log began. */
  baseline?: {
    balances: BalanceLine[];
    states: [string, UnitState | null][];
    entriesBefore: number;
  };
}

/** JSON with object keys sorted at every level and no whitespace; `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error('canonicalJson: a value JSON cannot hold');
    return text;
  }
  if (Array.isArray(value)) {
    // Arrays of plain values (ledger lines, states, object codes: thousands in a bulk record)
    // are already canonical as JSON writes them.
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  }
  const members = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${members.join(',')}}`;
}

export function recordHash(previous: string, content: string): string {
  return createHash('sha256').update(previous).update('\n').update(content).digest('hex');
}

/**
 * Hybrid logical clock stamp: milliseconds since the epoch (15 digits) and a counter (6 digits),
 * so stamps sort as text. A site's next stamp is above its last one even when its wall clock went
 * back; merged with another site's stamps (site sync), the order respects causality.
 */
export function nextHlc(previous: string | null, wallMs: number): string {
  const [lastMs, lastCount] = previous ? parseHlc(previous) : [0, 0];
  return lastMs >= wallMs ? formatHlc(lastMs, lastCount + 1) : formatHlc(wallMs, 0);
}

function parseHlc(stamp: string): [number, number] {
  const [ms, count] = stamp.split('.');
  return [Number(ms), Number(count)];
}

function formatHlc(ms: number, count: number): string {
  return `${String(ms).padStart(15, '0')}.${String(count).padStart(6, '0')}`;
}

/** A record as stored: its columns and its serialization. */
export interface StoredRecord {
  id: string;
  site_id: string;
  seq: number;
  hlc: string;
  at: string;
  actor_code: string | null;
  actor_name: string;
  operation: string;
  content: string;
  prev_hash: string;
  hash: string;
}

/** A record as stored after the record of `previousHash`: its columns, serialized and hashed. */
export function storedRecordOf(record: ChangeRecord, previousHash: string): StoredRecord {
  const content = canonicalJson(record);
  return {
    id: record.id,
    site_id: record.site,
    seq: record.seq,
    hlc: record.hlc,
    at: record.at,
    actor_code: record.actor.code,
    actor_name: record.actor.name,
    operation: record.operation,
    content,
    prev_hash: previousHash,
    hash: recordHash(previousHash, content),
  };
}

/** What a site's chain must continue from: the previous record, or nothing yet. */
export interface ChainLink {
  seq: number;
  hash: string;
  hlc: string;
}

/**
 * Why a stored record does not continue its chain, or null when it does: it follows `previous`
 * (number, hash, clock), its hash is that of its content, and its columns say what its content
 * says. Returns the record it parsed, to be replayed.
 */
export function checkRecord(
  previous: ChainLink,
  row: StoredRecord,
): { problem: string; record?: undefined } | { problem: null; record: ChangeRecord } {
  if (row.seq !== previous.seq + 1)
    return { problem: `record ${previous.seq + 1} is missing (the next one is ${row.seq})` };
  if (row.prev_hash !== previous.hash)
    return { problem: `its previous hash is not the hash of record ${previous.seq}` };
  if (recordHash(row.prev_hash, row.content) !== row.hash)
    return { problem: 'its hash is not the hash of its content: the content was changed' };
  let record: ChangeRecord;
  try {
    record = JSON.parse(row.content) as ChangeRecord;
  } catch {
    return { problem: 'its content is not JSON' };
  }
  const differs =
    record.id !== row.id
      ? 'id'
      : record.site !== row.site_id
        ? 'site'
        : record.seq !== row.seq
          ? 'seq'
          : record.hlc !== row.hlc
            ? 'hlc'
            : record.at !== row.at
              ? 'at'
              : record.actor.code !== row.actor_code
                ? 'actor code'
                : record.actor.name !== row.actor_name
                  ? 'actor name'
                  : record.operation !== row.operation
                    ? 'operation'
                    : null;
  if (differs) return { problem: `its ${differs} column differs from its content` };
  if (!(row.hlc > previous.hlc))
    return { problem: 'its clock stamp is not after the previous record' };
  return { problem: null, record };
}
