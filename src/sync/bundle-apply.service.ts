import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FileStore } from '../attachments/file-store.js';
import { insertMany } from '../db/bulk.js';
import { unloggedWrites } from '../db/change-log.js';
import type { Database } from '../db/database.js';
import type { Row } from '../db/instance-rows.js';
import {
  addSiteRow,
  advanceLocalClock,
  listSiteRows,
  lockSites,
  setPeerVector,
  setSiteHead,
  type Head,
} from '../db/site.repository.js';
import {
  deleteRow,
  findClashes,
  heldRecords,
  idsOf,
  insertConflict,
  overwriteRows,
  readVector,
  recordStamps,
  rowsWithKeys,
  syncKeyOf,
  type Vector,
} from '../db/sync-rows.js';
import { SCHEMA_COLUMNS } from '../db/schema-columns.js';
import { NUMBER_REFERENCES, NUMBERED, SYNCED, type SyncedTable } from '../db/synced-tables.js';
import { checkRecord, type ChangeRecord, type StoredRecord } from '../domain/change-record.js';
import { ValidationError } from '../domain/errors.js';
import { advanceSerialCounters } from '../serials/serial.repository.js';
import { enqueueWebhookEvents } from '../webhooks/outbox.js';
import { rebuildBalances } from '../stock/ledger.repository.js';
import { BUNDLE_FORMAT, BundleDigest, type BundleHeader, type BundleLine } from './bundle.js';
import { CLASHES, unmergeableEdit, type Unmergeable } from './merge-rules.js';
import type { ApplyResult } from './peer.schemas.js';

export type { ApplyResult };

/** Records checked and inserted per statement. */
const RECORD_BATCH = 1_000;

/**
 * Applies a bundle of another site (docs/sites.md "How sites sync") in one transaction: its
 * records, each checked to continue its site's hash chain; the rows they wrote, merged by the
 * rules of merge-rules.ts; its files, each checked against its hash. Idempotent: what is here
 * already is skipped, so a bundle applied twice, or after a newer one, changes nothing. Anything
 * wrong — a broken chain, a record of this site that is not here, a row naming a record nobody
 * holds, a cut or changed bundle — refuses the whole bundle, naming what, and nothing is applied.
 */
export async function applyBundle(
  db: Database,
  store: FileStore,
  lines: AsyncIterable<string> | Iterable<string>,
  onProgress: (what: string) => void = () => undefined,
  /** The site that must have written it (a push with another site's key). */
  expect: { from?: string | undefined } = {},
): Promise<ApplyResult> {
  // Taken now, before the first await: a source that reads as lines come (a readline interface
  // drops what it reads before its iterator exists) is asked for its iterator once.
  const source = iterate(lines);
  return unloggedWrites("applying another site's records, which are logged already", () =>
    db.transaction().execute(async (trx) => {
      const applier = new Applier(trx, store, onProgress, expect.from);
      await applier.lock();
      for await (const line of source) await applier.line(line);
      return applier.finish();
    }),
  );
}

type Stamp = { hlc: string; site: string; seq: number };

class Applier {
  private header: BundleHeader | null = null;
  private readonly digest = new BundleDigest();
  private ended = false;
  private heads = new Map<string, Head & { name: string }>();
  private localId = '';
  private before: Vector = {};
  private readonly stamps = new Map<string, Stamp>();
  private pending: StoredRecord[] = [];
  private readonly lots = new Set<string>();
  private latest = '';
  private readonly result: Omit<ApplyResult, 'bundle' | 'from'> = {
    records: { received: 0, applied: 0 },
    rows: { inserted: 0, updated: 0, kept: 0 },
    conflicts: 0,
    files: 0,
  };

  constructor(
    private readonly db: Database,
    private readonly store: FileStore,
    private readonly say: (what: string) => void,
    private readonly from: string | undefined,
  ) {}

  /** Takes every site's head: applying bundles and writing records here go one at a time. */
  async lock(): Promise<void> {
    await lockSites(this.db);
    for (const s of await listSiteRows(this.db)) {
      this.heads.set(s.id, {
        id: s.id,
        name: s.name,
        head_seq: Number(s.head_seq),
        head_hash: s.head_hash,
        head_hlc: s.head_hlc,
      });
      if (s.local === 1) this.localId = s.id;
    }
    this.before = await readVector(this.db);
  }

  async line(text: string): Promise<void> {
    if (this.ended) throw refused('it goes on after its end line');
    let line: BundleLine;
    try {
      line = JSON.parse(text) as BundleLine;
    } catch {
      throw refused('a line is not JSON');
    }
    if ('end' in line) {
      await this.flushRecords();
      const sha256 = this.digest.hex();
      if (line.end.sha256 !== sha256 || line.end.records !== this.result.records.received)
        throw refused('its end line does not match its content: it was changed on the way');
      this.ended = true;
      return;
    }
    this.digest.add(text);
    if ('bundle' in line) return this.start(line.bundle);
    if (!this.header) throw refused('it does not start with a bundle header');
    if ('record' in line) {
      this.result.records.received++;
      this.pending.push(line.record);
      if (this.pending.length >= RECORD_BATCH) await this.flushRecords();
      return;
    }
    await this.flushRecords();
    if ('rows' in line) return this.applyRows(line.rows, line.data);
    if ('file' in line) return this.storeFile(line.file, line.data);
    throw refused('a line of an unknown kind');
  }

  private start(header: BundleHeader): void {
    if (this.header) throw refused('it has two headers');
    if (header.format !== BUNDLE_FORMAT)
      throw refused(`its format is ${header.format}; this Tracelot reads format ${BUNDLE_FORMAT}`);
    if (header.site.id === this.localId) throw refused('it was written by this site');
    if (this.from !== undefined && header.site.id !== this.from)
      throw refused(`it was written by site ${header.site.id}, not by the site sending it`);
    this.header = header;
  }

  private async flushRecords(): Promise<void> {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    // A site's records here are a prefix of its chain (each is applied after the one before
    // it): a record is held exactly when its number is at most its site's head here, and must
    // then be the very record held under that number.
    const ranges = new Map<string, { site: string; from: number; to: number }>();
    for (const r of batch) {
      const seq = Number(r.seq);
      if (seq > (this.heads.get(r.site_id)?.head_seq ?? 0)) continue;
      const range = ranges.get(r.site_id);
      if (range)
        Object.assign(range, { from: Math.min(range.from, seq), to: Math.max(range.to, seq) });
      else ranges.set(r.site_id, { site: r.site_id, from: seq, to: seq });
    }
    const held = await heldRecords(this.db, [...ranges.values()]);
    const fresh: StoredRecord[] = [];
    const objects: { object_code: string; change_id: string }[] = [];
    const told: ChangeRecord[] = [];
    for (const row of batch) {
      const seq = Number(row.seq);
      this.stamps.set(row.id, { hlc: row.hlc, site: row.site_id, seq });
      const known = held.get(`${row.site_id}\t${seq}`);
      if (known !== undefined) {
        if (known.id !== row.id || known.hash !== row.hash)
          throw refused(
            `record ${row.id} differs from the one held here as record ${seq} of site ${row.site_id} (was that site restored from a backup without \`tracelot site restored\`?)`,
          );
        continue;
      }
      if (row.site_id === this.localId)
        throw refused(
          `record ${seq} of this site is not here: this database was restored from a backup; run \`tracelot site restored\`, then sync (docs/sites.md "Restore")`,
        );
      const head = await this.headOf(row.site_id);
      const checked = checkRecord(
        { seq: head.head_seq, hash: head.head_hash, hlc: head.head_hlc },
        { ...row, seq },
      );
      if (checked.problem !== null)
        throw refused(`record ${seq} of site ${row.site_id} (${row.id}): ${checked.problem}`);
      fresh.push({ ...row, seq });
      told.push(checked.record);
      for (const code of checked.record.objects)
        objects.push({ object_code: code, change_id: row.id });
      Object.assign(head, { head_seq: seq, head_hash: row.hash, head_hlc: row.hlc });
      if (row.hlc > this.latest) this.latest = row.hlc;
    }
    await insertMany(this.db, 'change_record', fresh);
    await insertMany(this.db, 'change_object', objects);
    // Webhooks tell of what happened at every site, once each, as it arrives here.
    await enqueueWebhookEvents(this.db, told);
    this.result.records.applied += fresh.length;
  }

  private async headOf(site: string): Promise<Head & { name: string }> {
    let head = this.heads.get(site);
    if (!head) {
      const name = this.header!.sites.find((s) => s.id === site)?.name ?? site;
      await addSiteRow(this.db, { id: site, name: await this.freeName(name) });
      head = { id: site, name, head_seq: 0, head_hash: '0'.repeat(64), head_hlc: '' };
      this.heads.set(site, head);
    }
    return head;
  }

  /** A known site's name is not taken twice (ignoring case): a clash gets a suffix. */
  private async freeName(name: string): Promise<string> {
    const taken = new Set([...this.heads.values()].map((h) => h.name.toLowerCase()));
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name} (${n})`;
    return candidate;
  }

  private async stampsOf(ids: readonly (string | null)[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id): id is string => !!id && !this.stamps.has(id));
    if (missing.length === 0) return;
    for (const [id, stamp] of await recordStamps(this.db, missing)) this.stamps.set(id, stamp);
  }

  private async applyRows(name: string, data: Row[]): Promise<void> {
    if (!SYNCED.has(name)) throw refused(`it holds rows of ${name}, which sites do not exchange`);
    const table = name as SyncedTable;
    checkRows(table, data);
    for (const [column, target] of Object.entries(NUMBER_REFERENCES[table] ?? {})) {
      const ids = await idsOf(
        this.db,
        target,
        data.map((r) => String(r[column])),
      );
      for (const r of data) {
        const id = ids.get(String(r[column]));
        if (id === undefined) throw refused(`a row of ${table} names a ${target} not held here`);
        r[column] = id;
      }
    }
    const key = syncKeyOf(table);
    const keyOf = (r: Row) => JSON.stringify(key.map((k) => r[k]));
    const here = new Map((await rowsWithKeys(this.db, table, data)).map((r) => [keyOf(r), r]));
    await this.stampsOf([
      ...data.map((r) => r.change_id as string),
      ...[...here.values()].map((r) => r.change_id as string),
    ]);
    const inserts: Row[] = [];
    const overwrites: Row[] = [];
    for (const row of data) {
      const incoming = this.stamps.get(row.change_id as string);
      if (!incoming)
        throw refused(
          `a row of ${table} names record ${String(row.change_id)}, which is neither in the bundle nor here`,
        );
      const local = here.get(keyOf(row));
      if (!local) {
        inserts.push(row);
        continue;
      }
      if (local.change_id === row.change_id) {
        this.result.rows.kept++;
        continue;
      }
      const mine = this.stamps.get(local.change_id as string);
      // A counter stands at the higher of the two values (a number handed out stays handed out);
      // any other row takes the later version by the clock.
      const higher = Number(row.next_value) - Number(local.next_value);
      const theirsWins =
        table === 'serial_counter' && higher !== 0 ? higher > 0 : !mine || later(incoming, mine);
      // Changed apart: the sender had not seen this site's version, nor this site the sender's.
      const apart = mine && !covers(this.header!.vector, mine) && !covers(this.before, incoming);
      const clash = apart ? unmergeableEdit(table, row, local) : null;
      if (clash && mine) {
        const [kept, other] = theirsWins ? [row, local] : [local, row];
        await this.conflict(clash, table, keyOf(row), kept, other);
      }
      if (theirsWins) overwrites.push(stripId(row));
      else this.result.rows.kept++;
    }
    // The page's later versions in one statement: the rows here were read before the loop, so
    // writing them after it changes nothing the loop saw.
    await overwriteRows(this.db, table, overwrites);
    this.result.rows.updated += overwrites.length;
    this.touched(table, overwrites);
    await this.insertRows(table, inserts);
  }

  /**
   * Notes the lots whose ledger rows were written, for finish() to rebuild their balances: only
   * those, so a bundle whose rows are all held already rebuilds nothing.
   */
  private touched(table: SyncedTable, rows: readonly Row[]): void {
    if (table === 'stock_entry') for (const r of rows) this.lots.add(r.lot_code as string);
  }

  private async insertRows(table: SyncedTable, rows: Row[]) {
    const clash = CLASHES[table];
    let fresh = rows;
    if (clash) {
      // Two rows that may not both stand (one serial given to two units): the earlier by the
      // clock stands at every site, the later is kept in the conflict for a person to settle.
      // The rows here that hold a value of the page are read in one query; a holder removed
      // below is dropped from the map, as a query per row would no longer find it.
      const matchOf = (r: Row) => JSON.stringify(clash.match.map((c) => r[c]));
      const holders = new Map<string, Row>();
      for (const h of await findClashes(this.db, table, clash.match, clash.open, rows))
        if (!holders.has(matchOf(h))) holders.set(matchOf(h), h);
      await this.stampsOf([...holders.values()].map((h) => h.change_id as string));
      fresh = [];
      for (const row of rows) {
        const holder = holders.get(matchOf(row));
        if (!holder) {
          fresh.push(row);
          continue;
        }
        const held = this.stamps.get(holder.change_id as string);
        const incoming = this.stamps.get(row.change_id as string)!;
        const [kept, other] = held && later(incoming, held) ? [holder, row] : [row, holder];
        if (kept === row) {
          await deleteRow(this.db, table, holder);
          holders.delete(matchOf(row));
          fresh.push(row);
        }
        // The subject is the other side's: the unit that lost (the same at every site).
        await this.conflict(
          { kind: clash.kind, subject: String(other[clash.subject]) },
          table,
          matchOf(row),
          kept,
          other,
        );
      }
    }
    // A lot may name a parent lot that comes later in the same page: parents are set after, in
    // one statement.
    const parents = table === 'lot' ? fresh.filter((r) => r.parent_code) : [];
    await insertMany(
      this.db,
      table,
      fresh.map((r) =>
        table === 'lot' && r.parent_code ? { ...r, parent_code: null } : r,
      ) as never[],
    );
    await overwriteRows(
      this.db,
      'lot',
      parents.map((r) => ({ code: r.code, parent_code: r.parent_code })),
    );
    this.touched(table, fresh);
    this.result.rows.inserted += fresh.length;
  }

  private async conflict(
    clash: Unmergeable,
    table: SyncedTable,
    rowKey: string,
    kept: Row,
    other: Row,
  ): Promise<void> {
    const pair = [String(kept.change_id), String(other.change_id)].sort();
    // Every site that meets the pair lists the same conflict: its code and time come from the
    // pair (the time the later of the two was written), not from where or when it was met.
    const stamps = pair.map((id) => this.stamps.get(id)?.hlc ?? '').sort();
    const detectedAt = new Date(Number(stamps[1]!.split('.')[0])).toISOString();
    const code = createHash('sha256')
      .update(`${pair.join('\n')}\n${table}\n${rowKey}`)
      .digest('hex')
      .slice(0, 26)
      .toUpperCase();
    const added = await insertConflict(this.db, {
      code,
      kind: clash.kind,
      subject_code: clash.subject,
      table_name: table,
      row_key: rowKey,
      kept_change: String(kept.change_id),
      kept: canonical(kept),
      other_change: String(other.change_id),
      other: canonical(other),
      detected_at: detectedAt,
      resolved_at: null,
      resolved_by: null,
      resolution: null,
      change_id: String(other.change_id),
    });
    if (added) this.result.conflicts++;
  }

  private async storeFile(sha256: string, base64: string): Promise<void> {
    const data = Buffer.from(base64, 'base64');
    const got = createHash('sha256').update(data).digest('hex');
    if (got !== sha256) throw refused(`file ${sha256} is damaged: its content hashes to ${got}`);
    await this.store.put(Readable.from([data]), {
      maxBytes: Number.MAX_SAFE_INTEGER,
      expect: sha256,
    });
    this.result.files++;
  }

  async finish(): Promise<ApplyResult> {
    if (!this.header) throw refused('it is empty');
    if (!this.ended) throw refused('it is cut short: its end line is missing');
    for (const head of this.heads.values())
      if (head.id !== this.localId) await setSiteHead(this.db, head);
    if (this.latest) await advanceLocalClock(this.db, this.latest);
    await rebuildBalances(this.db, [...this.lots]);
    await advanceSerialCounters(this.db);
    await setPeerVector(this.db, this.header.site.id, this.header.vector);
    this.say(
      `${this.result.records.applied} of ${this.result.records.received} records new, ${this.result.rows.inserted} rows added, ${this.result.rows.updated} updated, ${this.result.conflicts} conflicts`,
    );
    return { bundle: this.header.id, from: this.header.site, ...this.result };
  }
}

function iterate(lines: AsyncIterable<string> | Iterable<string>): AsyncIterable<string> {
  if (!(Symbol.asyncIterator in lines))
    return (async function* () {
      yield* lines;
    })();
  const iterator = lines[Symbol.asyncIterator]();
  return { [Symbol.asyncIterator]: () => iterator };
}

/**
 * Every row holds exactly its table's columns (a numbered row no local id, its references to
 * numbered rows as uids), each value of the column's kind: a bundle is checked by its hashes, but
 * its rows come from a peer and are checked like any other input before any is written.
 */
function checkRows(table: SyncedTable, data: unknown): asserts data is Row[] {
  if (!Array.isArray(data)) throw refused(`its rows of ${table} are not a list`);
  const references = NUMBER_REFERENCES[table] ?? {};
  const columns = Object.entries(SCHEMA_COLUMNS[table]).filter(
    ([name]) => !(NUMBERED.has(table) && name === 'id'),
  );
  for (const row of data) {
    const wrong = (why: string) => refused(`a row of ${table} ${why}`);
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw wrong('is not an object');
    if (Object.keys(row).length !== columns.length)
      throw wrong(`has ${Object.keys(row).length} columns, not the table's ${columns.length}`);
    for (const [column, kind] of columns) {
      if (!(column in row)) throw wrong(`lacks its column ${column}`);
      const value = (row as Row)[column];
      if (value === null) {
        if (!kind.endsWith('?')) throw wrong(`has no value in ${column}, which needs one`);
      } else if (kind.startsWith('integer') && !(column in references)) {
        if (!Number.isSafeInteger(value)) throw wrong(`has ${column} that is not an integer`);
      } else if (typeof value !== 'string') throw wrong(`has ${column} that is not text`);
      else if (value.includes('\u0000')) throw wrong(`has a NUL character in ${column}`);
    }
  }
}

function refused(why: string): ValidationError {
  return new ValidationError('bundle', `refused, nothing applied: ${why}`);
}

/** Whether a vector holds a record. */
function covers(vector: Vector, stamp: Stamp): boolean {
  return (vector[stamp.site] ?? 0) >= stamp.seq;
}

/** Whether `a` is later than `b` by the clock (the site's id breaks a tie). */
function later(a: Stamp, b: Stamp): boolean {
  return a.hlc !== b.hlc ? a.hlc > b.hlc : a.site > b.site;
}

/**
 * A row as a conflict keeps it: the same text at every site that meets the pair, whether the
 * row was read here or came in a bundle (no local id, keys in order).
 */
function canonical(row: Row): string {
  const { id: _id, ...rest } = row;
  return JSON.stringify(
    Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
}

function stripId(row: Row): Row {
  const { id: _id, ...rest } = row;
  return rest;
}
