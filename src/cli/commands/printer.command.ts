import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { PRINT_JOB_STATUSES, PRINTER_KINDS, type PrintJobStatus } from '../../domain/printer.js';
import {
  createPrintJob,
  getPrintJob,
  listPrintJobs,
  retryPrintJob,
} from '../../printers/print-job.service.js';
import { sendPrintJob } from '../../printers/print-sender.js';
import type { PrintJob, PrintJobCreate } from '../../printers/printer.schemas.js';
import { createPrinter, listPrinters } from '../../printers/printer.service.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';

type JsonFlags = DatabaseFlags & { json?: boolean };

export function printerCommand(program: Command): void {
  const printer = program
    .command('printer')
    .description('label printers: ZPL over raw TCP (port 9100) or PDF by IPP (docs/printers.md)');
  withDatabaseOptions(
    printer
      .command('add')
      .description('add a printer of this site (logged)')
      .argument('<name>')
      .addOption(
        new Option('--kind <kind>', 'zpl or ipp').choices(PRINTER_KINDS).makeOptionMandatory(),
      )
      .requiredOption(
        '--address <address>',
        'zpl: host[:port] (default port 9100); ipp: ipp://host:631/printers/NAME',
      )
      .addOption(
        new Option('--dpi <dpi>', 'ZPL: printer resolution')
          .choices(['203', '300'])
          .default(203)
          .argParser((v) => Number(v) as 203 | 300),
      )
      .option('--json', 'print JSON'),
  ).action(
    (name: string, flags: JsonFlags & { kind: 'zpl' | 'ipp'; address: string; dpi: 203 | 300 }) =>
      withContext(flags, async (ctx) => {
        const added = await createPrinter(ctx, cliActor(), {
          name,
          kind: flags.kind,
          address: flags.address,
          dpi: flags.dpi,
        });
        if (flags.json) return printJson(added);
        console.log(`${added.code}  ${added.name}  ${added.kind}  ${added.address}`);
      }),
  );
  withDatabaseOptions(
    printer.command('list').description('the printers').option('--json', 'print JSON'),
  ).action((flags: JsonFlags) =>
    withContext(flags, async (ctx) => {
      const items = await listPrinters(ctx, {});
      if (flags.json) return printJson(items);
      if (items.length === 0) return console.log('No printers: `tracelot printer add` adds one.');
      printTable(
        items.map((p) => ({
          name: p.name,
          kind: p.kind,
          address: p.address,
          dpi: String(p.dpi),
          active: p.active ? 'yes' : 'no',
        })),
        ['name', 'kind', 'address', 'dpi', 'active'],
      );
    }),
  );

  const job = program.command('print-job').description('print jobs: their status, and retries');
  withDatabaseOptions(
    job
      .command('list')
      .description('print jobs, newest first')
      .addOption(new Option('--status <status>').choices(PRINT_JOB_STATUSES))
      .option('--printer <name>', "a printer's name or code")
      .option('--limit <n>', 'how many', '50')
      .option('--json', 'print JSON'),
  ).action((flags: JsonFlags & { status?: PrintJobStatus; printer?: string; limit: string }) =>
    withContext(flags, async (ctx) => {
      const page = await listPrintJobs(ctx, {
        ...(flags.status && { status: flags.status }),
        ...(flags.printer && { printer: flags.printer }),
        limit: Number(flags.limit),
      });
      if (flags.json) return printJson(page);
      if (page.items.length === 0) return console.log('No print jobs.');
      printTable(page.items.map(jobRow), [
        'job',
        'code',
        'printer',
        'labels',
        'status',
        'by',
        'at',
      ]);
    }),
  );
  withDatabaseOptions(
    job
      .command('retry')
      .description('queue a failed job again and send it now')
      .argument('<code>', "the job's code")
      .option('--json', 'print JSON'),
  ).action((code: string, flags: JsonFlags) =>
    withContext(flags, async (ctx) => {
      const queued = await retryPrintJob(ctx, cliActor(), code);
      await reportSent(ctx, queued, flags.json === true);
    }),
  );
}

/** `label print --printer`: queues the job and, as the command line has no server, sends it. */
export async function printToPrinter(
  ctx: Context,
  request: PrintJobCreate,
  baseUrl: string,
  json: boolean,
): Promise<void> {
  const queued = await createPrintJob(ctx, cliActor(), request, baseUrl);
  await reportSent(ctx, queued, json);
}

async function reportSent(ctx: Context, queued: PrintJob, json: boolean): Promise<void> {
  await sendPrintJob(ctx, queued.code);
  const job = await getPrintJob(ctx, queued.code);
  if (json) printJson(job);
  else
    process.stderr.write(
      job.status === 'sent'
        ? `${job.labels} label${job.labels === 1 ? '' : 's'} sent to ${job.printer.name}${job.reprint ? ' (a reprint)' : ''}: job ${job.shortCode}\n`
        : `job ${job.shortCode} to ${job.printer.name} ${job.status}${job.reason ? `: ${job.reason}` : ''} (tracelot print-job retry ${job.code})\n`,
    );
  if (job.status !== 'sent') process.exitCode = 1;
}

function jobRow(j: PrintJob) {
  return {
    job: j.shortCode,
    code: j.code,
    printer: j.printer.name,
    labels: `${j.labels}${j.reprint ? ' (reprint)' : ''}`,
    status: j.status === 'failed' ? `failed: ${j.reason ?? ''}` : j.status,
    by: j.createdBy.name,
    at: j.createdAt,
  };
}
