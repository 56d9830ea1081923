import { Option, type Command } from 'commander';
import { withDb, type Context } from '../../context.js';
import { inTransaction } from '../../db/database.js';
import { parseCsvRecords } from '../../domain/csv.js';
import { TracelotError, ValidationError } from '../../domain/errors.js';
import { STOCK_STATUSES, type StockStatus } from '../../domain/stock-status.js';
import type { ReceiveItem } from '../../stock/stock.schemas.js';
import {
  adjustStock,
  changeStockStatus,
  listStock,
  moveStock,
  receiveStock,
  removeStock,
  splitLot,
} from '../../stock/stock.service.js';
import {
  cliActor,
  pageOptions,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  type PageFlags,
  pageOf,
} from '../options.js';
import { readTextFile } from '../arguments.js';
import { printJson, printPage, printTable, progress, progressDone } from '../output.js';
import { codeOf } from '../codes.js';

const statusOption = (flag: string, description: string) =>
  new Option(flag, description).choices(STOCK_STATUSES as unknown as string[]).default('on_hand');

/** Items per transaction step when receiving a file: progress is printed after each. */
const FILE_CHUNK = 5_000;

interface ReceiveFlags extends DatabaseFlags {
  part?: string;
  location?: string;
  quantity?: string;
  status: StockStatus;
  name?: string;
  vendorLot?: string;
  dateCode?: string;
  expiry?: string;
  order?: string;
  note?: string;
  file?: string;
  json?: boolean;
}

export function stockCommand(program: Command): void {
  const stock = program
    .command('stock')
    .description('stock operations; every one appends to the stock ledger');
  withDatabaseOptions(
    stock
      .command('receive')
      .description('receive stock as a new lot (or many lots from a CSV file, all or nothing)')
      .option('--part <code>')
      .option('--location <code>')
      .option('--quantity <n>')
      .addOption(statusOption('--status <status>', 'status of the received stock'))
      .option('--name <lot name>', 'company or customer lot number')
      .option('--vendor-lot <text>')
      .option('--date-code <text>')
      .option('--expiry <YYYY-MM-DD>')
      .option('--order <ref>', 'order reference')
      .option('--note <text>')
      .option(
        '--file <csv>',
        'CSV with a header: part,location,quantity[,status,name,vendor_lot,date_code,expiry,order,note]',
      )
      .option('--json', 'print JSON'),
  ).action((flags: ReceiveFlags) =>
    withContext(flags, async (ctx) => {
      const items = flags.file ? itemsFromCsv(flags.file) : [await itemFromFlags(ctx, flags)];
      const fileError = flags.file ? toFileError : (error: unknown) => error;
      const actor = cliActor();
      // One transaction for the whole file, in steps that report progress.
      const result = await inTransaction(ctx.db, async (trx) => {
        const lots = [];
        let operation = '';
        for (let i = 0; i < items.length; i += FILE_CHUNK) {
          const step = await receiveStock(
            withDb(ctx, trx),
            actor,
            items.slice(i, i + FILE_CHUNK),
          ).catch((error: unknown) => {
            throw fileError(error, i);
          });
          operation ||= step.operation;
          lots.push(...step.lots);
          if (items.length > FILE_CHUNK)
            progress(`received ${lots.length} of ${items.length} lots`);
        }
        return { operation, lots };
      });
      if (items.length > FILE_CHUNK) progressDone();
      if (flags.json) return printJson(result);
      printTable(result.lots.slice(0, 50), ['code', 'part', 'location', 'status', 'quantity']);
      if (result.lots.length > 50) console.log(`… and ${result.lots.length - 50} more`);
      console.error(`Received ${result.lots.length} lot${result.lots.length === 1 ? '' : 's'}.`);
    }),
  );
  const sourceOptions = (command: Command) =>
    withDatabaseOptions(
      command
        .argument('<lot>', 'lot code (or any form of it)')
        .option(
          '--location <code>',
          'where the stock lies (needed when the lot lies in several places)',
        )
        .addOption(statusOption('--status <status>', 'status of the stock taken'))
        .option('--note <text>')
        .option('--json', 'print JSON'),
    );
  type SourceFlags = DatabaseFlags & {
    location?: string;
    status: StockStatus;
    note?: string;
    json?: boolean;
    quantity?: string;
  };
  const report = (flags: SourceFlags, result: { operation: string; lots: string[] }) =>
    flags.json
      ? printJson(result)
      : console.log(`done (operation ${result.operation}); lots: ${result.lots.join(', ')}`);
  const source = async (ctx: Context, lot: string, flags: SourceFlags) => ({
    lot: await codeOf(ctx, lot, 'lot', 'lot'),
    location: await codeOf(ctx, flags.location, 'location', 'location'),
    status: flags.status,
    note: flags.note ?? '',
  });

  sourceOptions(stock.command('move').description('move stock of a lot to another location'))
    .requiredOption('--to <location>', 'destination location code')
    .option('--quantity <n>', 'default: all of it')
    .action((lot: string, flags: SourceFlags & { to: string }) =>
      withContext(flags, async (ctx) =>
        report(
          flags,
          await moveStock(ctx, cliActor(), {
            ...(await source(ctx, lot, flags)),
            to: await codeOf(ctx, flags.to, 'to', 'location'),
            quantity: flags.quantity,
          }),
        ),
      ),
    );
  sourceOptions(
    stock
      .command('split')
      .description('split part of a lot into a new lot that records its parent'),
  )
    .requiredOption('--quantity <n>')
    .option('--to <location>', 'location of the new lot (default: the same)')
    .action((lot: string, flags: SourceFlags & { to?: string; quantity: string }) =>
      withContext(flags, async (ctx) =>
        report(
          flags,
          await splitLot(ctx, cliActor(), {
            ...(await source(ctx, lot, flags)),
            quantity: flags.quantity,
            to: await codeOf(ctx, flags.to, 'to', 'location'),
          }),
        ),
      ),
    );
  sourceOptions(stock.command('remove').description('remove stock from a lot'))
    .requiredOption('--quantity <n>')
    .action((lot: string, flags: SourceFlags & { quantity: string }) =>
      withContext(flags, async (ctx) =>
        report(
          flags,
          await removeStock(ctx, cliActor(), {
            ...(await source(ctx, lot, flags)),
            quantity: flags.quantity,
          }),
        ),
      ),
    );
  sourceOptions(stock.command('adjust').description('record a count: the balance becomes COUNT'))
    .requiredOption('--count <n>', 'the quantity counted')
    .action((lot: string, flags: SourceFlags & { count: string }) =>
      withContext(flags, async (ctx) => {
        if (!flags.location)
          throw new ValidationError('location', 'say where the stock was counted (--location)');
        report(
          flags,
          await adjustStock(ctx, cliActor(), {
            ...(await source(ctx, lot, flags)),
            location: await codeOf(ctx, flags.location, 'location', 'location'),
            count: flags.count,
          }),
        );
      }),
    );
  sourceOptions(
    stock.command('status').description('change the status of stock (on_hand, held, rejected, …)'),
  )
    .addOption(
      new Option('--to <status>', 'the new status')
        .choices(STOCK_STATUSES as unknown as string[])
        .makeOptionMandatory(),
    )
    .option('--quantity <n>', 'default: all of it')
    .action((lot: string, flags: SourceFlags & { to: StockStatus }) =>
      withContext(flags, async (ctx) =>
        report(
          flags,
          await changeStockStatus(ctx, cliActor(), {
            ...(await source(ctx, lot, flags)),
            to: flags.to,
            quantity: flags.quantity,
          }),
        ),
      ),
    );
  withDatabaseOptions(
    pageOptions(
      stock
        .command('list')
        .description('balances per lot, location and status')
        .option('--part <code>')
        .option('--location <code>')
        .option('--lot <code>')
        .addOption(new Option('--status <status>').choices(STOCK_STATUSES as unknown as string[])),
      '200',
    ),
  ).action(
    (
      flags: DatabaseFlags & {
        part?: string;
        location?: string;
        lot?: string;
        status?: StockStatus;
      } & PageFlags,
    ) =>
      withContext(flags, async (ctx) => {
        const page = await listStock(ctx, {
          ...flags,
          part: await codeOf(ctx, flags.part, 'part', 'part'),
          location: await codeOf(ctx, flags.location, 'location', 'location'),
          lot: await codeOf(ctx, flags.lot, 'lot', 'lot'),
          ...pageOf(flags),
        });
        if (flags.json) return printJson(page);
        printPage(
          page,
          page.items.map((s) => ({
            lot: s.lot.shortCode,
            name: s.lot.name,
            part: s.part.name,
            location: s.location.name,
            status: s.status,
            quantity: s.quantity,
            unit: s.part.unit,
          })),
          ['lot', 'name', 'part', 'location', 'status', 'quantity', 'unit'],
          'balances',
          'No stock found.',
        );
      }),
  );
}

async function itemFromFlags(ctx: Context, flags: ReceiveFlags): Promise<ReceiveItem> {
  for (const required of ['part', 'location', 'quantity'] as const) {
    if (!flags[required])
      throw new ValidationError(required, `is required (--${required}), or give --file`);
  }
  return {
    part: await codeOf(ctx, flags.part!, 'part', 'part'),
    location: await codeOf(ctx, flags.location!, 'location', 'location'),
    quantity: flags.quantity!,
    status: flags.status,
    note: flags.note ?? '',
    lot: {
      name: flags.name,
      vendorLot: flags.vendorLot,
      dateCode: flags.dateCode,
      expiry: flags.expiry,
      orderRef: flags.order,
    },
  };
}

function itemsFromCsv(file: string): ReceiveItem[] {
  const records = parseCsvRecords(readTextFile(file));
  if (records.length === 0)
    throw new ValidationError('file', `${file} holds no rows below its header`);
  return records.map((r) => ({
    part: r.part ?? '',
    location: r.location ?? '',
    quantity: r.quantity ?? '',
    status: (r.status || 'on_hand') as StockStatus,
    note: r.note ?? '',
    lot: {
      name: r.name || undefined,
      vendorLot: r.vendor_lot || undefined,
      dateCode: r.date_code || undefined,
      expiry: r.expiry || undefined,
      orderRef: r.order || undefined,
    },
  }));
}

/** An error in item 3 of a step starting at item 5000 is on line 5005 of the file (after the header). */
function toFileError(error: unknown, offset: number): unknown {
  const match =
    error instanceof TracelotError ? /^items\.(\d+)\.?(.*)$/.exec(error.field ?? '') : null;
  if (!match) return error;
  const line = offset + Number(match[1]) + 2;
  return new ValidationError(
    'file',
    `line ${line}: ${(error as Error).message.replace(/^items\.\d+\.?/, '')}`,
  );
}
