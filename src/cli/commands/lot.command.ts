import type { Command } from 'commander';
import { getLot, getLotHistory, listLots, updateLot } from '../../stock/lot-view.service.js';
import {
  cliActor,
  pageOptions,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  showCommand,
  attributeOptions,
  type AttributeFlags,
  type PageFlags,
  pageOf,
} from '../options.js';
import { printFields, printJson, printPage, printTable } from '../output.js';
import { codeOf } from '../codes.js';

export function lotCommand(program: Command): void {
  const lot = program.command('lot').description('lots: batches of one part that share a history');
  withDatabaseOptions(
    pageOptions(
      lot
        .command('list')
        .description('list and search lots, newest first')
        .option('--part <code>')
        .option('--location <code>')
        .option(
          '-s, --search <text>',
          'match name, vendor lot, date code, order, tag or custom field value',
        ),
    ),
  ).action(
    (
      flags: DatabaseFlags & {
        part?: string;
        location?: string;
        search?: string;
      } & PageFlags,
    ) =>
      withContext(flags, async (ctx) => {
        const page = await listLots(ctx, {
          part: await codeOf(ctx, flags.part, 'part', 'part'),
          location: await codeOf(ctx, flags.location, 'location', 'location'),
          q: flags.search,
          ...pageOf(flags),
        });
        if (flags.json) return printJson(page);
        printPage(
          page,
          page.items.map((l) => ({
            lot: l.shortCode,
            name: l.name,
            part: l.part.name,
            quantity: l.quantity,
            unit: l.part.unit,
            vendorLot: l.vendorLot,
            created: l.createdAt,
          })),
          ['lot', 'name', 'part', 'quantity', 'unit', 'vendorLot', 'created'],
          'lots',
        );
      }),
  );
  showCommand(lot, 'a lot: fields and balances', ['<code>'], async (ctx, code, json) => {
    const found = await getLot(ctx, await codeOf(ctx, code, 'code', 'lot'));
    if (json) return printJson(found);
    const { balances, part, ...fields } = found;
    printFields({
      ...fields,
      part: `${part.name} (${part.code})`,
      quantity: `${found.quantity} ${part.unit}`,
    });
    console.log('');
    printTable(
      balances.map((b) => ({
        location: b.location.name,
        status: b.status,
        quantity: b.quantity,
      })),
      ['location', 'status', 'quantity'],
    );
  });
  withDatabaseOptions(
    lot
      .command('history')
      .description('every ledger entry and field change')
      .argument('<code>')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const items = await getLotHistory(ctx, await codeOf(ctx, code, 'code', 'lot'));
      if (flags.json) return printJson(items);
      printTable(
        items.map((h) => ({
          at: h.at,
          who: h.actor.name,
          type: h.type,
          what:
            h.source === 'stock'
              ? `${h.quantity > 0 ? '+' : ''}${h.quantity} ${h.status} @ ${h.location.name}${h.note ? ` (${h.note})` : ''}`
              : h.data,
        })),
        ['at', 'who', 'type', 'what'],
      );
    }),
  );
  withDatabaseOptions(
    attributeOptions(
      lot
        .command('update')
        .description("change a lot's fields")
        .argument('<code>')
        .option('--name <text>')
        .option('--description <text>')
        .option('--comments <text>')
        .option('--expiry <YYYY-MM-DD>', "'' clears it")
        .option('--vendor-lot <text>')
        .option('--date-code <text>')
        .option('--order <ref>'),
      'replace',
    ),
  ).action(
    (
      code: string,
      flags: DatabaseFlags & {
        name?: string;
        description?: string;
        comments?: string;
        expiry?: string;
        vendorLot?: string;
        dateCode?: string;
        order?: string;
      } & AttributeFlags,
    ) =>
      withContext(flags, async (ctx) => {
        const updated = await updateLot(ctx, cliActor(), await codeOf(ctx, code, 'code', 'lot'), {
          name: flags.name,
          description: flags.description,
          comments: flags.comments,
          expiry: flags.expiry === '' ? null : flags.expiry,
          vendorLot: flags.vendorLot,
          dateCode: flags.dateCode,
          orderRef: flags.order,
          tags: flags.tag,
          customFields: flags.field,
        });
        if (flags.json) printJson(updated);
        else console.log(`updated ${updated.code}`);
      }),
  );
}
