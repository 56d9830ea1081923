import type { Command } from 'commander';
import { createLocation, getLocation, listLocations } from '../../locations/location.service.js';
import { createPart, getPart, listParts } from '../../parts/part.service.js';
import type { PartCreate } from '../../parts/part.schemas.js';
import { listStock } from '../../stock/stock.service.js';
import { collectSupplierPart } from '../arguments.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { collect, collectField, printFields, printJson, printTable } from '../output.js';
import { codeOf } from '../codes.js';

interface ListFlags extends DatabaseFlags {
  search?: string;
  tag?: string;
  limit: string;
  offset: string;
  json?: boolean;
}

function listOptions(command: Command): Command {
  return withDatabaseOptions(
    command
      .option('-s, --search <text>', 'match name, MPN, tag or custom field value')
      .option('--tag <tag>', 'only with this tag')
      .option('--limit <n>', 'at most this many', '50')
      .option('--offset <n>', 'skip this many', '0')
      .option('--json', 'print JSON'),
  );
}

function footer(shown: number, offset: number, total: number, noun: string): void {
  if (total === 0) console.log(`No ${noun} found.`);
  else console.error(`${offset + 1}–${offset + shown} of ${total} ${noun}`);
}

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
          limit: Number(flags.limit),
          offset: Number(flags.offset),
        });
        if (flags.json) return printJson(page);
        printTable(page.items, [
          'shortCode',
          'name',
          'mpn',
          'manufacturer',
          'onHand',
          'unit',
          'tags',
        ]);
        footer(page.items.length, page.offset, page.total, 'parts');
      }),
  );
  withDatabaseOptions(
    part
      .command('show')
      .description('a part and its stock')
      .argument('<code>')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const found = await getPart(ctx, await codeOf(ctx, code, 'code', 'part'));
      const stock = await listStock(ctx, { part: found.code, limit: 1000 });
      if (flags.json) return printJson({ ...found, stock: stock.items });
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
    }),
  );
}

export function locationCommand(program: Command): void {
  const location = program.command('location').description('storage locations: where stock lies');
  withDatabaseOptions(
    location
      .command('add')
      .description('create a storage location (names are unique)')
      .argument('<name>')
      .option('--description <text>')
      .option('--tag <tag>', 'a tag (repeatable)', collect)
      .option('--field <key=value>', 'a custom field (repeatable)', collectField)
      .option('--json', 'print JSON'),
  ).action(
    (
      name: string,
      flags: DatabaseFlags & {
        description?: string;
        tag?: string[];
        field?: Record<string, string>;
        json?: boolean;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const created = await createLocation(ctx, cliActor(), {
          name,
          description: flags.description,
          tags: flags.tag,
          customFields: flags.field,
        });
        if (flags.json) printJson(created);
        else console.log(`${created.code}  ${created.name}`);
      }),
  );
  listOptions(location.command('list').description('list and search storage locations')).action(
    (flags: ListFlags) =>
      withContext(flags, async (ctx) => {
        const page = await listLocations(ctx, {
          q: flags.search,
          tag: flags.tag,
          limit: Number(flags.limit),
          offset: Number(flags.offset),
        });
        if (flags.json) return printJson(page);
        printTable(page.items, ['shortCode', 'name', 'description', 'tags']);
        footer(page.items.length, page.offset, page.total, 'locations');
      }),
  );
  withDatabaseOptions(
    location
      .command('show')
      .description('a location and its stock')
      .argument('<code>')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const found = await getLocation(ctx, await codeOf(ctx, code, 'code', 'location'));
      const stock = await listStock(ctx, { location: found.code, limit: 1000 });
      if (flags.json) return printJson({ ...found, stock: stock.items });
      printFields({
        code: found.code,
        name: found.name,
        description: found.description,
        tags: found.tags,
      });
      console.log('');
      printTable(
        stock.items.map((s) => ({
          lot: s.lot.shortCode,
          part: s.part.name,
          status: s.status,
          quantity: s.quantity,
          unit: s.part.unit,
        })),
        ['lot', 'part', 'status', 'quantity', 'unit'],
      );
    }),
  );
}
