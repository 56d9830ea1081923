import { randomUUID } from 'node:crypto';
import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { shortCode } from '../domain/code.js';
import { ippHttpUrl, type PrinterKind } from '../domain/printer.js';
import type { ZplDpi } from '../domain/label-media.js';
import type { LabelSymbology } from '../domain/label-template.js';
import { appendHistory } from '../history/history.repository.js';
import { prepareLabels } from '../labels/label-print.service.js';
import { renderInThread, type LabelRenderer } from '../labels/label-render.js';
import { ippPrintJob } from './ipp.client.js';
import {
  claimPrintJob,
  findPrintJobRow,
  jobObjects,
  releasePrintClaim,
  setPrintJobStatus,
  type PrintJobListRow,
} from './print-job.repository.js';
import { findPrinterRow } from './printer.repository.js';
import { sendRaw } from './zpl.sender.js';

/** How long a printer has to take a job before it fails. */
export const SEND_TIMEOUT_MS = 10_000;
/** A claim this old belongs to a server that died while sending: another takes the job over. */
export const CLAIM_STALE_MS = 5 * 60_000;

export interface SendOptions {
  renderer?: LabelRenderer;
  timeoutMs?: number;
  /** Who claims the job: one id per server process. */
  owner?: string;
}

export type SendOutcome = 'sent' | 'failed' | 'skipped';

/**
 * Sends one queued job and records the outcome: `sent`, or `failed` with the printer's or the
 * connection's reason. Both are history events of the job, written in the name of whoever
 * queued it (its maker, or who retried it): whether labels came out belongs to the record as
 * much as who asked for them. `skipped`: the job is not queued, or another server has it.
 */
export async function sendPrintJob(
  ctx: Context,
  code: string,
  options: SendOptions = {},
): Promise<SendOutcome> {
  const owner = options.owner ?? randomUUID();
  const at = ctx.clock();
  const stale = new Date(at.getTime() - CLAIM_STALE_MS).toISOString();
  if (!(await claimPrintJob(ctx.db, code, owner, at.toISOString(), stale))) return 'skipped';
  try {
    const job = await findPrintJobRow(ctx.db, code);
    if (job?.status !== 'queued') return 'skipped';
    let reason: string | undefined;
    try {
      await deliver(ctx, job, options);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    await recordOutcome(ctx, job, reason);
    return reason === undefined ? 'sent' : 'failed';
  } finally {
    await releasePrintClaim(ctx.db, code, owner);
  }
}

/** Renders the job's labels for its printer and hands them over. */
async function deliver(ctx: Context, job: PrintJobListRow, options: SendOptions): Promise<void> {
  const printer = (await findPrinterRow(ctx.db, job.printer_code))!;
  const objects = (await jobObjects(ctx.db, [job.code])).get(job.code)!;
  const codes = objects.flatMap((c) => Array<string>(job.copies).fill(c));
  const { template, labels } = await prepareLabels(
    ctx,
    {
      template: job.template_code ?? undefined,
      media: job.media ?? undefined,
      symbology: (job.symbology as LabelSymbology | null) ?? undefined,
      codes,
    },
    job.base_url,
  );
  const renderer = options.renderer ?? renderInThread;
  const timeout = options.timeoutMs ?? SEND_TIMEOUT_MS;
  const format: PrinterKind = printer.kind;
  const body = Buffer.concat(
    await (
      format === 'zpl'
        ? await renderer.render({ format: 'zpl', template, labels, dpi: printer.dpi as ZplDpi })
        : await renderer.render({ format: 'pdf', template, labels })
    ).toArray(),
  );
  if (format === 'zpl') return sendRaw(printer.address, body, timeout);
  await ippPrintJob(
    ippHttpUrl(printer.address),
    {
      printerUri: printer.address,
      userName: job.queued_by_name,
      jobName: `Tracelot ${shortCode(job.code)}: ${labels.length} labels`,
      document: body,
    },
    timeout,
  );
}

async function recordOutcome(
  ctx: Context,
  job: PrintJobListRow,
  reason: string | undefined,
): Promise<void> {
  const at = now(ctx);
  const attempt = job.attempts + 1;
  const actor = { code: job.queued_by_code, name: job.queued_by_name, role: 'editor' as const };
  await inTransaction(ctx.db, async (db) => {
    const set =
      reason === undefined
        ? { status: 'sent' as const, reason: null, attempts: attempt, sent_at: at }
        : { status: 'failed' as const, reason, attempts: attempt };
    // Guarded: the claim makes this sender the job's only one, so the job is still queued.
    if (!(await setPrintJobStatus(db, job.code, 'queued', set)))
      throw new Error(`print job ${job.code} left the queue while being sent`);
    await appendHistory(db, actor, at, [
      reason === undefined
        ? {
            subjectCode: job.code,
            type: 'print_sent',
            data: { printer: job.printer_code, attempt },
          }
        : {
            subjectCode: job.code,
            type: 'print_failed',
            data: { printer: job.printer_code, attempt, reason },
          },
    ]);
  });
}
