import type { Command } from 'commander';
import { createPart, getPart, listParts } from '../../parts/part.service.js';
import type { PartCreate } from '../../parts/part.schemas.js';
import { listStock } from '../../stock/stock.service.js';
import { collect, collectField, collectSupplierPart } from '../arguments.js';
import {
  cliActor,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  listOptions,
  type ListFlags,
  showCommand,
  pageOf,
} from '../options.js';
import { printFields, printJson, printPage, printTable } from '../output.js';
import { codeOf } from '../codes.js';

export function partCommand(program: Command): void {
  const part = program.command('part').description('parts: what things are');
  withDatabaseOptions(
    part
      .command('add')
      .description('create a part')
      .argument('<name>')
      .option('--mpn <mpn>', 'manufacturer part number')
      .option('--manufacturer <name>')
      .option('--description <text>')
      .option('--kind <kind>', 'component, sub_assembly or meta_part', 'component')
      .option('--unit <unit>', 'pcs (counted) or m, cm, mm, kg, g, mg, l, ml', 'pcs')
      .option('--tag <tag>', 'a tag (repeatable)', collect)
      .option('--field <key=value>', 'a custom field (repeatable)', collectField)
      .option('--gtin <gtin>', 'GTIN for GS1 UDI labels (check digit checked)')
      .option(
        '--sku <supplier:number>',
        "a distributor's part number, e.g. Digi-Key:296-1395-1-ND (repeatable)",
        collectSupplierPart,
      )
      .option('--json', 'print JSON'),
  ).action(
    (
      name: string,
      flags: DatabaseFlags &
        Omit<PartCreate, 'name' | 'tags' | 'customFields'> & {
          tag?: string[];
          field?: Record<string, string>;
          sku?: { supplier: string; sku: string }[];
          json?: boolean;
        },
    ) =>
      withContext(flags, async (ctx) => {
        const created = await createPart(ctx, cliActor(), {
          gtin: flags.gtin ?? null,
          suppliers: flags.sku ?? [],
          name,
          mpn: flags.mpn,
          manufacturer: flags.manufacturer,
          description: flags.description,
          kind: flags.kind,
          unit: flags.unit,
          tags: flags.tag,
          customFields: flags.field,
        });
        if (flags.json) printJson(created);
        else console.log(`${created.code}  ${created.name}`);
      }),
  );
  listOptions(part.command('list').description('list and search parts')).action(
    (flags: ListFlags) =>
      withContext(flags, async (ctx) => {
        const page = await listParts(ctx, {
          q: flags.search,
          tag: flags.tag,
          ...pageOf(flags),
        });
        if (flags.json) return printJson(page);
        printPage(
          page,
          page.items,
          ['shortCode', 'name', 'mpn', 'manufacturer', 'onHand', 'unit', 'tags'],
          'parts',
        );
      }),
  );
  showCommand(part, 'a part and its stock', ['<code>'], async (ctx, code, json) => {
    const found = await getPart(ctx, await codeOf(ctx, code, 'code', 'part'));
    const stock = await listStock(ctx, { part: found.code, limit: 1000 });
    if (json) return printJson({ ...found, stock: stock.items });
    printFields({
      code: found.code,
      name: found.name,
      mpn: found.mpn,
      manufacturer: found.manufacturer,
      kind: found.kind,
      unit: found.unit,
      onHand: found.onHand,
      tags: found.tags,
      customFields: found.customFields,
      gtin: found.gtin ?? '',
      suppliers: found.suppliers.map((s) => `${s.supplier}:${s.sku}`),
    });
    console.log('');
    printTable(
      stock.items.map((s) => ({
        lot: s.lot.shortCode,
        name: s.lot.name,
        location: s.location.name,
        status: s.status,
        quantity: s.quantity,
      })),
      ['lot', 'name', 'location', 'status', 'quantity'],
    );
  });
}
