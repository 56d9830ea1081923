import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { findLocalSiteRow } from '../db/site.repository.js';
import { parseCode, shortCode } from '../domain/code.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory, type NewHistoryEvent } from '../history/history.repository.js';
import { prepareLabels } from '../labels/label-print.service.js';
import { MAX_LABELS } from '../labels/label.schemas.js';
import {
  findPrintJobRow,
  insertPrintJob,
  jobObjects,
  objectsPrintedBefore,
  pagePrintJobRows,
  setPrintJobStatus,
  type PrintJobListRow,
} from './print-job.repository.js';
import { PrintJobCreate, PrintJobQuery, type PrintJob } from './printer.schemas.js';
import { getPrinterRow } from './printer.service.js';

/**
 * Queues labels for a printer. The job and, on each object labelled, a `printed` event are one
 * change record: the change log shows who printed which labels where, and marks a reprint (an
 * object some earlier job labelled, on any printer). The labels are checked now, as for a
 * download, so a job that could not print is refused here rather than failing later.
 */
export async function createPrintJob(
  ctx: Context,
  actor: Actor,
  input: PrintJobCreate,
  baseUrl: string,
): Promise<PrintJob> {
  const request = parseInput(PrintJobCreate, input);
  const printer = await getPrinterRow(ctx, request.printer);
  if (printer.active !== 1)
    throw new ValidationError('printer', `${printer.name} is not active: activate it first`);
  const site = await findLocalSiteRow(ctx.db);
  if (printer.site_id !== site.id)
    throw new ValidationError('printer', `${printer.name} is another site's printer`);
  const prepared = await prepareLabels(ctx, request, baseUrl);
  const objects = prepared.labels.map((l) => l.code);
  const labelCount = objects.length * request.copies;
  if (labelCount > MAX_LABELS)
    throw new ValidationError(
      'copies',
      `at most ${MAX_LABELS} labels in one job, not ${objects.length} × ${request.copies}`,
    );
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const before = await objectsPrintedBefore(db, objects);
    const reprint = objects.some((o) => before.has(o));
    await insertPrintJob(
      db,
      {
        code,
        printer_code: printer.code,
        template_code: prepared.templateCode ?? null,
        media: prepared.templateCode ? null : (request.media ?? null),
        symbology: prepared.templateCode ? null : (request.symbology ?? null),
        base_url: baseUrl,
        copies: request.copies,
        label_count: labelCount,
        reprint: reprint ? 1 : 0,
        status: 'queued',
        reason: null,
        attempts: 0,
        created_by_code: actor.code,
        created_by_name: actor.name,
        created_at: at,
        queued_by_code: actor.code,
        queued_by_name: actor.name,
        sent_at: null,
      },
      objects,
    );
    const common = {
      job: code,
      printer: printer.code,
      printerName: printer.name,
      template: prepared.templateCode ?? null,
      copies: request.copies,
    };
    const events: NewHistoryEvent[] = [
      {
        subjectCode: code,
        type: 'created',
        data: { ...common, labels: labelCount, reprint },
      },
      ...[...new Set(objects)].map((o) => ({
        subjectCode: o,
        type: 'printed' as const,
        data: { ...common, reprint: before.has(o) },
      })),
    ];
    await appendHistory(db, actor, at, events);
  });
  return getPrintJob(ctx, code);
}

export async function getPrintJob(ctx: Context, ref: string): Promise<PrintJob> {
  const code = parseCode(ref, 'code');
  const row = await findPrintJobRow(ctx.db, code);
  if (!row) throw new NotFoundError('print job', ref, 'code');
  const [job] = await toJobs(ctx, [row]);
  return job!;
}

export async function listPrintJobs(ctx: Context, query: PrintJobQuery) {
  const { status, printer, limit, offset } = parseInput(PrintJobQuery, query);
  const printerCode = printer ? (await getPrinterRow(ctx, printer)).code : undefined;
  const { rows, total } = await pagePrintJobRows(
    ctx.db,
    { status, printer: printerCode },
    limit,
    offset,
  );
  return { items: await toJobs(ctx, rows), total, limit, offset };
}

/** Queues a failed job again (logged: `print_retried`); the sender sends it in the retrier's name. */
export async function retryPrintJob(ctx: Context, actor: Actor, ref: string): Promise<PrintJob> {
  const code = parseCode(ref, 'code');
  await inTransaction(ctx.db, async (db) => {
    const row = await findPrintJobRow(db, code);
    if (!row) throw new NotFoundError('print job', ref, 'code');
    if (row.status !== 'failed')
      throw new ValidationError('code', `the job is ${row.status}: only a failed job is retried`);
    const queued = await setPrintJobStatus(db, code, 'failed', {
      status: 'queued',
      queued_by_code: actor.code,
      queued_by_name: actor.name,
    });
    if (!queued) throw new ValidationError('code', 'the job was retried already');
    await appendHistory(db, actor, now(ctx), [
      { subjectCode: code, type: 'print_retried', data: { after: row.reason } },
    ]);
  });
  return getPrintJob(ctx, code);
}

async function toJobs(ctx: Context, rows: PrintJobListRow[]): Promise<PrintJob[]> {
  const objects = await jobObjects(
    ctx.db,
    rows.map((r) => r.code),
  );
  return rows.map((row) => ({
    code: row.code,
    shortCode: shortCode(row.code),
    printer: { code: row.printer_code, name: row.printer_name, kind: row.printer_kind },
    template: row.template_code,
    media: row.media,
    symbology: row.symbology,
    objects: objects.get(row.code) ?? [],
    copies: row.copies,
    labels: row.label_count,
    reprint: row.reprint === 1,
    status: row.status,
    reason: row.reason,
    attempts: row.attempts,
    createdBy: { code: row.created_by_code, name: row.created_by_name },
    createdAt: row.created_at,
    sentAt: row.sent_at,
  }));
}
