import type { Insertable, Selectable } from 'kysely';
import { inChunks, insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { pageWithTotal } from '../db/paging.js';
import type { PrintJobTable } from '../db/schema.js';
import type { PrinterKind, PrintJobStatus } from '../domain/printer.js';

export type PrintJobRow = Selectable<PrintJobTable>;
export type PrintJobListRow = PrintJobRow & { printer_name: string; printer_kind: PrinterKind };

export async function insertPrintJob(
  db: Database,
  row: Insertable<PrintJobTable>,
  objects: readonly string[],
): Promise<void> {
  await db.insertInto('print_job').values(row).execute();
  await insertMany(
    db,
    'print_job_object',
    objects.map((object_code, position) => ({ job_code: row.code, position, object_code })),
  );
}

/** The objects among `codes` that some earlier job labelled: their labels now are reprints. */
export async function objectsPrintedBefore(
  db: Database,
  codes: readonly string[],
): Promise<Set<string>> {
  const rows = await inChunks([...new Set(codes)], (chunk) =>
    db
      .selectFrom('print_job_object')
      .select('object_code')
      .distinct()
      .where('object_code', 'in', chunk)
      .execute(),
  );
  return new Set(rows.map((r) => r.object_code));
}

function jobQuery(db: Database) {
  return db
    .selectFrom('print_job as j')
    .innerJoin('printer as p', 'p.code', 'j.printer_code')
    .selectAll('j')
    .select(['p.name as printer_name', 'p.kind as printer_kind']);
}

export async function findPrintJobRow(
  db: Database,
  code: string,
): Promise<PrintJobListRow | undefined> {
  return jobQuery(db).where('j.code', '=', code).executeTakeFirst();
}

/** Each job's objects in print order. */
export async function jobObjects(
  db: Database,
  codes: readonly string[],
): Promise<Map<string, string[]>> {
  const rows = await inChunks([...codes], (chunk) =>
    db
      .selectFrom('print_job_object')
      .select(['job_code', 'object_code'])
      .where('job_code', 'in', chunk)
      .orderBy('job_code')
      .orderBy('position')
      .execute(),
  );
  const out = new Map<string, string[]>(codes.map((c) => [c, []]));
  for (const r of rows) out.get(r.job_code)!.push(r.object_code);
  return out;
}

export async function pagePrintJobRows(
  db: Database,
  filter: { status?: PrintJobStatus | undefined; printer?: string | undefined },
  limit: number,
  offset: number,
): Promise<{ rows: PrintJobListRow[]; total: number }> {
  let filtered = db
    .selectFrom('print_job as j')
    .innerJoin('printer as p', 'p.code', 'j.printer_code');
  if (filter.status) filtered = filtered.where('j.status', '=', filter.status);
  if (filter.printer) filtered = filtered.where('j.printer_code', '=', filter.printer);
  return pageWithTotal(filtered, (q) =>
    q
      .selectAll('j')
      .select(['p.name as printer_name', 'p.kind as printer_kind'])
      .orderBy('j.created_at', 'desc')
      .orderBy('j.code')
      .limit(limit)
      .offset(offset),
  );
}

/** Sets a job's outcome, only if it is still `from` (a guarded write: no lost updates). */
export async function setPrintJobStatus(
  db: Database,
  code: string,
  from: PrintJobStatus,
  set: Partial<
    Pick<
      PrintJobRow,
      'status' | 'reason' | 'attempts' | 'sent_at' | 'queued_by_code' | 'queued_by_name'
    >
  >,
): Promise<boolean> {
  const done = await db
    .updateTable('print_job')
    .set(set)
    .where('code', '=', code)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** The oldest queued jobs that no server is sending now (a claim before `staleBefore` is dead). */
export async function queuedJobCodes(
  db: Database,
  staleBefore: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('print_job as j')
    .leftJoin('print_claim as c', 'c.job_code', 'j.code')
    .select('j.code')
    .where('j.status', '=', 'queued')
    .where((eb) => eb.or([eb('c.job_code', 'is', null), eb('c.claimed_at', '<', staleBefore)]))
    .orderBy('j.created_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.code);
}

/**
 * Claims a job for this sender: the claim's primary key lets exactly one server have it. A claim
 * older than `staleBefore` (its server died while sending) is taken over.
 */
export async function claimPrintJob(
  db: Database,
  code: string,
  owner: string,
  at: string,
  staleBefore: string,
): Promise<boolean> {
  await db
    .deleteFrom('print_claim')
    .where('job_code', '=', code)
    .where('claimed_at', '<', staleBefore)
    .execute();
  const done = await db
    .insertInto('print_claim')
    .values({ job_code: code, owner, claimed_at: at })
    .onConflict((oc) => oc.column('job_code').doNothing())
    .returning('job_code')
    .executeTakeFirst();
  return done !== undefined;
}

export async function releasePrintClaim(db: Database, code: string, owner: string): Promise<void> {
  await db
    .deleteFrom('print_claim')
    .where('job_code', '=', code)
    .where('owner', '=', owner)
    .execute();
}
