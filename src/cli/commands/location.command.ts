import type { Command } from 'commander';
import { createLocation, getLocation, listLocations } from '../../locations/location.service.js';
import { listStock } from '../../stock/stock.service.js';
import { codeOf } from '../codes.js';
import {
  cliActor,
  listOptions,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  type ListFlags,
  showCommand,
  attributeOptions,
  type AttributeFlags,
  pageOf,
} from '../options.js';
import { printFields, printJson, printPage, printTable } from '../output.js';

export function locationCommand(program: Command): void {
  const location = program.command('location').description('storage locations: where stock lies');
  withDatabaseOptions(
    attributeOptions(
      location
        .command('add')
        .description('create a storage location (names are unique)')
        .argument('<name>')
        .option('--description <text>'),
    ),
  ).action(
    (
      name: string,
      flags: DatabaseFlags & {
        description?: string;
      } & AttributeFlags,
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
          ...pageOf(flags),
        });
        if (flags.json) return printJson(page);
        printPage(page, page.items, ['shortCode', 'name', 'description', 'tags'], 'locations');
      }),
  );
  showCommand(location, 'a location and its stock', ['<code>'], async (ctx, code, json) => {
    const found = await getLocation(ctx, await codeOf(ctx, code, 'code', 'location'));
    const stock = await listStock(ctx, { location: found.code, limit: 1000 });
    if (json) return printJson({ ...found, stock: stock.items });
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
  });
}
