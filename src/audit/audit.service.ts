import { createHash, type Hash } from 'node:crypto';
import type { Context } from '../context.js';
import {
  GENESIS_PREVIOUS,
  canonicalJson,
  checkRecord,
  type ChainLink,
  type ChangeRecord,
  ledgerLineOf,
} from '../domain/change-record.js';
import { isCanonicalCode } from '../domain/code.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { parseInput } from '../domain/validate.js';
import {
  allBalances,
  allUnitStates,
  entriesAfter,
  findRecord,
  findSignatureRecords,
  firstSeqFrom,
  listRecords,
  recordOfSite,
  recordsAfter,
  recordsInClockOrder,
  recordsTouching,
} from './audit.repository.js';
import { listSiteRows } from '../db/site.repository.js';
import {
  AuditQuery,
  type AuditExportRange,
  type ChangeDetail,
  type VerifyReport,
} from './audit.schemas.js';

/** Records read per query while verifying or exporting. */
const PAGE = 5_000;
/** Problems listed at the most: the first is what matters, the rest show how far it goes. */
const MAX_PROBLEMS = 50;

type Problem = VerifyReport['problems'][number];

/**
 * Replays the log: recomputes every site's hash chain and, over the whole log, checks that the
 * current state agrees with it — every ledger entry written since the log began is the one its
 * record lists, the balances are the genesis baseline plus the logged movements, the units are in
 * the state their last record left them. Names the first broken record. With `from`, only the
 * chain from the first record at or after that time is checked (its link to the record before
 * it included): replaying state needs the whole log.
 */
export async function verifyLog(
  ctx: Context,
  options: { from?: string } = {},
): Promise<VerifyReport> {
  const from = options.from === undefined ? undefined : parseDate(options.from, 'from');
  const problems: Problem[] = [];
  const report = (p: Problem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const replay = from === undefined ? new Replay() : null;
  const sites = await listSiteRows(ctx.db);
  let records = 0;
  const hashes = new Map<string, string>();
  for (const site of sites) {
    let previous: ChainLink = { seq: 0, hash: GENESIS_PREVIOUS, hlc: '' };
    if (from !== undefined) {
      const first = await firstSeqFrom(ctx.db, site.id, from);
      if (first === undefined) continue;
      const before = first > 1 ? await recordOfSite(ctx.db, site.id, first - 1) : undefined;
      if (before) previous = { seq: before.seq, hash: before.hash, hlc: before.hlc };
      else if (first > 1) previous = { seq: first - 1, hash: '', hlc: '' };
    }
    for (;;) {
      const rows = await recordsAfter(ctx.db, site.id, previous.seq, PAGE);
      for (const row of rows) {
        records++;
        const checked = checkRecord(previous, row);
        const problem =
          checked.problem === null ? signatureProblem(checked.record, hashes) : checked.problem;
        if (problem !== null) report({ site: site.id, seq: row.seq, record: row.id, problem });
        else if (checked.problem === null) replay?.apply(checked.record);
        hashes.set(row.id, row.hash);
        previous = { seq: row.seq, hash: row.hash, hlc: row.hlc };
      }
      if (rows.length < PAGE) break;
    }
    if (Number(site.head_seq) !== previous.seq || site.head_hash !== previous.hash) {
      report({
        site: site.id,
        seq: null,
        record: null,
        problem:
          Number(site.head_seq) === previous.seq
            ? `the site's chain head names record ${previous.seq} with another hash than the record's: the head or the record was changed`
            : `the site's chain head is record ${Number(site.head_seq)}, but the log ends at record ${previous.seq}: records were removed`,
      });
    }
  }
  if (replay) for (const p of await replay.compare(ctx)) report(p);
  const local = sites.find((s) => s.local === 1);
  return {
    ok: problems.length === 0,
    records,
    sites: sites.length,
    from: from ?? null,
    stateChecked: replay !== null,
    head: headOf(local),
    firstBroken: problems[0] ?? null,
    problems,
  };
}

/** A site's chain head as reports show it; null without a local site. */
function headOf(
  site: { id: string; head_seq: number; head_hash: string; head_hlc: string } | undefined,
): VerifyReport['head'] {
  return site
    ? { site: site.id, seq: Number(site.head_seq), hash: site.head_hash, hlc: site.head_hlc }
    : null;
}

/** A signature is bound to the hash of the record it signs, which comes before it. */
function signatureProblem(record: ChangeRecord, hashes: Map<string, string>): string | null {
  if (!record.signs) return null;
  const hash = hashes.get(record.signs.record);
  if (hash === undefined) return null; // before `from`: not read
  return hash === record.signs.hash
    ? null
    : `it signs record ${record.signs.record}, whose hash is no longer the one signed`;
}

/** The state the log says there is, built record by record. */
class Replay {
  private readonly balances = new Map<string, number>();
  /**
   * Each unit's state with the clock of the record that set it: records of several sites are
   * replayed site by site, and the state that stands is the one set last by the clock, as a sync
   * between sites leaves it (docs/sites.md).
   */
  private readonly states = new Map<string, { state: string | null; hlc: string }>();
  /** Per ledger operation: the record listing it and a digest of its entries. */
  private readonly operations = new Map<string, { record: string; digest: Hash }>();
  private entriesBefore = 0;

  apply(record: ChangeRecord): void {
    if (record.baseline) {
      this.entriesBefore = Math.max(this.entriesBefore, record.baseline.entriesBefore);
      for (const [lot, location, status, quantity] of record.baseline.balances)
        this.move(`${lot}\t${location}\t${status}`, quantity);
      for (const [code, state] of record.baseline.states) this.setState(code, state, '');
    }
    for (const line of record.ledger) {
      this.move(`${line[2]}\t${line[4]}\t${line[5]}`, line[6]);
      let op = this.operations.get(line[0]);
      if (!op)
        this.operations.set(line[0], (op = { record: record.id, digest: createHash('sha256') }));
      op.digest.update(canonicalJson(line)).update('\n');
    }
    for (const [code, state] of record.states) this.setState(code, state, record.hlc);
  }

  private setState(code: string, state: string | null, hlc: string): void {
    const known = this.states.get(code);
    if (!known || known.hlc <= hlc) this.states.set(code, { state, hlc });
  }

  private move(key: string, quantity: number): void {
    this.balances.set(key, (this.balances.get(key) ?? 0) + quantity);
  }

  async compare(ctx: Context): Promise<Problem[]> {
    const problems: Problem[] = [];
    const problem = (text: string, record: string | null = null) =>
      problems.push({ site: null, seq: null, record, problem: text });
    // The ledger: each operation's entries, as its record lists them.
    const entries = new Map<string, Hash>();
    for (let after = this.entriesBefore; ;) {
      const page = await entriesAfter(ctx.db, after, PAGE);
      for (const e of page) {
        after = e.id;
        if (!this.operations.has(e.operation)) {
          problem(`ledger entry ${e.id} (operation ${e.operation}) is in no change record`);
          continue;
        }
        const line = ledgerLineOf(e);
        let digest = entries.get(e.operation);
        if (!digest) entries.set(e.operation, (digest = createHash('sha256')));
        digest.update(canonicalJson(line)).update('\n');
      }
      if (page.length < PAGE) break;
    }
    for (const [operation, logged] of this.operations) {
      const stored = entries.get(operation)?.digest('hex');
      if (stored !== logged.digest.digest('hex'))
        problem(
          `the ledger entries of operation ${operation} differ from its change record`,
          logged.record,
        );
    }
    // Balances.
    const table = new Map<string, number>();
    for (const b of await allBalances(ctx.db))
      table.set(`${b.lot_code}\t${b.location_code}\t${b.status}`, b.quantity);
    for (const key of new Set([...table.keys(), ...this.balances.keys()])) {
      const logged = this.balances.get(key) ?? 0;
      const stored = table.get(key) ?? 0;
      if (logged !== stored) {
        const [lot, location, status] = key.split('\t');
        problem(
          `lot ${lot} at ${location} (${status}): the log says ${logged}, the balance holds ${stored}`,
        );
      }
    }
    // Unit states.
    const units = await allUnitStates(ctx.db);
    const seen = new Set<string>();
    for (const u of units) {
      seen.add(u.code);
      const logged = this.states.get(u.code)?.state;
      if (logged === undefined) problem(`unit ${u.code} is ${u.unit_state}, which no record set`);
      else if (logged !== u.unit_state)
        problem(`unit ${u.code}: the log says ${logged}, the unit is ${u.unit_state}`);
    }
    for (const [code, { state }] of this.states)
      if (state !== null && !seen.has(code))
        problem(`unit ${code}: the log says ${state}, the unit is gone`);
    return problems;
  }
}

/**
 * The records in [from, to) as JSON lines, in clock order: each line is
 * `{"hash":…,"prev":…,"record":<the record's canonical serialization>}`, so that anyone can
 * recompute SHA-256(prev + "\n" + record) without Tracelot. With them, the chain head of this
 * site as the export began (records written meanwhile are left for the next export): anchored
 * elsewhere, the head proves later that nothing before it changed.
 */
export async function exportLog(
  ctx: Context,
  range: AuditExportRange,
): Promise<{ head: VerifyReport['head']; lines: AsyncGenerator<string> }> {
  const from = range.from === undefined ? undefined : parseDate(range.from, 'from');
  const to = range.to === undefined ? undefined : parseDate(range.to, 'to');
  const local = (await listSiteRows(ctx.db)).find((s) => s.local === 1);
  const head = headOf(local);
  async function* lines(): AsyncGenerator<string> {
    let after: { hlc: string; site: string } | null = null;
    for (;;) {
      const rows = await recordsInClockOrder(ctx.db, after, { from, to }, PAGE);
      for (const r of rows) {
        if (head && r.site_id === head.site && r.seq > head.seq) continue;
        yield `{"hash":${JSON.stringify(r.hash)},"prev":${JSON.stringify(r.prev_hash)},"record":${r.content}}\n`;
      }
      if (rows.length < PAGE) return;
      const last = rows.at(-1)!;
      after = { hlc: last.hlc, site: last.site_id };
    }
  }
  return { head, lines: lines() };
}

/**
 * The records an object's history rests on, in clock order, and this site's chain head now:
 * what a Device History Record cites, so that an auditor can check them against an export.
 */
export async function changeLogOf(ctx: Context, code: string) {
  const [records, sites] = await Promise.all([recordsTouching(ctx.db, code), listSiteRows(ctx.db)]);
  const local = sites.find((s) => s.local === 1);
  return {
    head: headOf(local),
    records: records.map((r) => ({
      id: r.id,
      site: r.site_id,
      seq: r.seq,
      at: r.at,
      by: r.actor_name,
      operation: r.operation,
      hash: r.hash,
    })),
  };
}

export async function listChanges(ctx: Context, query: unknown) {
  const q = parseInput(AuditQuery, query);
  const filter = {
    ...q,
    from: q.from === undefined ? undefined : parseDate(q.from, 'from'),
    to: q.to === undefined ? undefined : parseDate(q.to, 'to'),
  };
  const { rows, total } = await listRecords(ctx.db, filter);
  return {
    items: rows.map((r) => ({
      id: r.id,
      site: r.site_id,
      seq: r.seq,
      hlc: r.hlc,
      at: r.at,
      actor: { code: r.actor_code, name: r.actor_name },
      operation: r.operation,
      objects: r.objects,
      hash: r.hash,
    })),
    total,
    limit: q.limit,
    offset: q.offset,
  };
}

export async function getChange(ctx: Context, id: string): Promise<ChangeDetail> {
  const row = isCanonicalCode(id) ? await findRecord(ctx.db, id) : undefined;
  if (!row) throw new NotFoundError('change record', id, 'id');
  const record = JSON.parse(row.content) as ChangeRecord;
  const signatures = (await findSignatureRecords(ctx.db, row))
    .map((r) => JSON.parse(r.content) as ChangeRecord)
    .filter((r) => r.signs?.record === record.id)
    .map((r) => ({ id: r.id, at: r.at, signer: r.actor, meaning: r.signs!.meaning }));
  return { ...record, signatures, hash: row.hash, prev: row.prev_hash };
}

/**
 * A date or time as given (`2026-12-01`, or an ISO time) as the ISO time stored in records;
 * a date alone is its midnight UTC.
 */
function parseDate(text: string, field: string): string {
  const ms = Date.parse(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(ms) || !/^\d{4}-\d\d-\d\d/.test(text))
    throw new ValidationError(field, 'must be a date (YYYY-MM-DD) or an ISO time');
  return new Date(ms).toISOString();
}
