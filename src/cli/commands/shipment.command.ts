import type { Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import type { Shipment } from '../../shipments/shipment.schemas.js';
import { getShipment, listShipments } from '../../shipments/shipment.service.js';
import { createShipment, reverseShipment } from '../../units/shipping.service.js';
import { readCodes } from '../arguments.js';
import {
  cliActor,
  pageOptions,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  showCommand,
  type PageFlags,
  pageOf,
} from '../options.js';
import { printFields, printJson, printPage, printTable } from '../output.js';
import { codeOf, codesOf } from '../codes.js';

export function shipCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('ship')
      .description('ship available units to a customer: they become shipped and leave stock')
      .argument('[codes...]', 'units: codes as scanned, short codes or customer serials')
      .requiredOption('--customer <name>', 'who receives the units')
      .requiredOption('--ref <reference>', "the customer's order number or another reference")
      .option('--date <YYYY-MM-DD>', 'shipping date (default: today)')
      .option('--note <text>')
      .option('--file <path>', "read unit codes from a file, one per line ('-': standard input)")
      .option('--json', 'print JSON'),
  ).action(
    (
      codes: string[],
      flags: DatabaseFlags & {
        customer: string;
        ref: string;
        date?: string;
        note?: string;
        file?: string;
        json?: boolean;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const units = [...codes, ...(flags.file ? readCodes(flags.file) : [])];
        if (units.length === 0) throw new ValidationError('units', 'give unit codes or --file');
        const shipment = await createShipment(ctx, cliActor(), {
          customer: flags.customer,
          reference: flags.ref,
          units: await codesOf(ctx, units, 'units'),
          ...(flags.date === undefined ? {} : { date: flags.date }),
          ...(flags.note === undefined ? {} : { note: flags.note }),
        });
        if (flags.json) return printJson(shipment);
        printShipment(shipment);
      }),
  );
}

export function shipmentCommand(program: Command): void {
  const shipment = program.command('shipment').description('shipments of units to customers');
  withDatabaseOptions(
    pageOptions(
      shipment
        .command('list')
        .description('list shipments, newest first')
        .option('--search <text>', 'part of the customer or reference'),
    ),
  ).action((flags: DatabaseFlags & { search?: string } & PageFlags) =>
    withContext(flags, async (ctx) => {
      const page = await listShipments(ctx, {
        q: flags.search,
        ...pageOf(flags),
      });
      if (flags.json) return printJson(page);
      printPage(
        page,
        page.items.map((s) => ({
          code: s.code,
          date: s.date,
          customer: s.customer,
          reference: s.reference,
          units: s.unitCount,
          returned: s.returnedCount,
          reversed: s.reversed ? 'yes' : '',
        })),
        ['code', 'date', 'customer', 'reference', 'units', 'returned', 'reversed'],
        'shipments',
        'No shipments yet: ship units with `tracelot ship --customer … --ref … CODE…`.',
      );
    }),
  );
  showCommand(
    shipment,
    'a shipment with its units',
    ['<code>', 'shipment code (or its first characters)'],
    async (ctx, code, json) => {
      const found = await getShipment(ctx, await codeOf(ctx, code, 'code', 'shipment'));
      if (json) return printJson(found);
      printShipment(found);
    },
  );
  withDatabaseOptions(
    shipment
      .command('reverse')
      .description(
        'reverse a shipment entered by mistake: its units are available in stock again (a customer return is `tracelot unit return`)',
      )
      .argument('<code>', 'shipment code (or its first characters)')
      .requiredOption('--reason <text>', 'why the shipment was a mistake')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: DatabaseFlags & { reason: string; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const reversed = await reverseShipment(
        ctx,
        cliActor(),
        await codeOf(ctx, code, 'code', 'shipment'),
        { reason: flags.reason },
      );
      if (flags.json) return printJson(reversed);
      printShipment(reversed);
    }),
  );
}

function printShipment(s: Shipment): void {
  printFields({
    code: s.code,
    customer: s.customer,
    reference: s.reference,
    date: s.date,
    note: s.note,
    units: s.unitCount,
    returned: s.returnedCount,
    by: `${s.createdBy} at ${s.createdAt}`,
    ...(s.reversed
      ? { reversed: `${s.reversed.by} at ${s.reversed.at}: ${s.reversed.reason}` }
      : {}),
  });
  console.log('');
  printTable(
    s.units.map((u) => ({
      unit: u.code,
      label: u.label ?? '',
      part: u.part.name,
      state: u.state,
      returned: u.returnedAt ? `${u.returnedAt} (${u.returnReason ?? ''})` : '',
    })),
    ['unit', 'label', 'part', 'state', 'returned'],
  );
}

/** Codes from a file or standard input: one per line; blank lines and `#` comments skipped. */
