import { Option, type Command } from 'commander';
import { unitList } from '../arguments.js';
import { SERIAL_RESETS, SERIAL_SCOPES, SERIAL_TARGETS } from '../../domain/serial-format.js';
import type { SerialRange } from '../../domain/serial-ranges.js';
import type { SerialFormat } from '../../serials/serial.schemas.js';
import {
  assignSerials,
  createSerialFormat,
  getSerialFormat,
  listSerialFormats,
  previewFormat,
} from '../../serials/serial.service.js';
import {
  cliActor,
  pageOptions,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  pageOf,
  type PageFlags,
} from '../options.js';
import { printFields, printJson, printPage, printTable } from '../output.js';
import { codeOf, unitRefsOf } from '../codes.js';

type Json = { json?: boolean };

export function serialFormatCommand(program: Command): void {
  const format = program
    .command('serial-format')
    .description('customer serial formats: patterns such as ACME-{YY}{WW}-{SEQ:5}');
  withDatabaseOptions(
    format
      .command('add')
      .description('create a format')
      .argument('<name>')
      .argument(
        '<pattern>',
        'literal text and {YYYY} {YY} {MM} {DD} {WW} (ISO week) {SEQ:n} {BUILD} {N}',
      )
      .addOption(
        new Option('--scope <scope>', 'count per part or globally')
          .choices([...SERIAL_SCOPES])
          .default('global'),
      )
      .option('--part <code>', 'only units of this part')
      .addOption(
        new Option('--reset <rule>', 'when the counter starts again')
          .choices([...SERIAL_RESETS])
          .default('never'),
      )
      .addOption(
        new Option('--target <target>', "write the serial into the lot's name or a custom field")
          .choices([...SERIAL_TARGETS])
          .default('name'),
      )
      .option('--field <name>', 'the custom field, with --target field')
      .option('--json', 'print JSON'),
  ).action(
    (
      name: string,
      pattern: string,
      flags: DatabaseFlags &
        Json & {
          scope: 'part' | 'global';
          part?: string;
          reset: 'never' | 'yearly';
          target: 'name' | 'field';
          field?: string;
        },
    ) =>
      withContext(flags, async (ctx) => {
        const created = await createSerialFormat(ctx, cliActor(), {
          name,
          pattern,
          scope: flags.scope,
          reset: flags.reset,
          target: flags.target,
          ...(flags.part === undefined
            ? {}
            : { part: await codeOf(ctx, flags.part, 'part', 'part') }),
          ...(flags.field === undefined ? {} : { fieldName: flags.field }),
        });
        if (flags.json) return printJson(created);
        printFormat(created);
      }),
  );
  withDatabaseOptions(
    pageOptions(
      format
        .command('list')
        .description('list formats by name')
        .option('--search <text>', 'name or pattern contains')
        .option('--archived', 'list archived formats instead'),
    ),
  ).action((flags: DatabaseFlags & PageFlags & { search?: string; archived?: boolean }) =>
    withContext(flags, async (ctx) => {
      const page = await listSerialFormats(ctx, {
        ...(flags.search === undefined ? {} : { q: flags.search }),
        archived: flags.archived ? 'true' : 'false',
        ...pageOf(flags),
      });
      if (flags.json) return printJson(page);
      printPage(
        page,
        page.items.map((f) => ({
          format: f.shortCode,
          name: f.name,
          pattern: f.pattern,
          scope: f.scope,
          reset: f.reset,
          assigned: f.assigned,
        })),
        ['format', 'name', 'pattern', 'scope', 'reset', 'assigned'],
        'formats',
        'No serial formats yet: add one with `tracelot serial-format add NAME PATTERN`.',
      );
    }),
  );
  withDatabaseOptions(
    format
      .command('show')
      .description('a format and its next serials (consumes no number)')
      .argument('<format>', 'code or name')
      .option('--part <code>', 'for a per-part format: whose counter to show')
      .option('--json', 'print JSON'),
  ).action((ref: string, flags: DatabaseFlags & Json & { part?: string }) =>
    withContext(flags, async (ctx) => {
      const found = await getSerialFormat(ctx, await codeOf(ctx, ref, 'format', 'serial_format'));
      const next =
        found.scope === 'part' && !flags.part && !found.part
          ? null
          : await previewFormat(
              ctx,
              found.code,
              flags.part ? { part: await codeOf(ctx, flags.part, 'part', 'part') } : {},
            );
      if (flags.json) return printJson({ ...found, next: next?.serials ?? null });
      printFormat(found);
      if (next) console.log(`next:     ${next.serials.join(', ')} …`);
    }),
  );
}

export function serialCommand(program: Command): void {
  const serial = program.command('serial').description('customer serials of units');
  withDatabaseOptions(
    serial
      .command('assign')
      .description(
        "give serials of a format to a build's units (default: every unit without one) or to chosen units",
      )
      .argument('<format>', 'format code or name')
      .option('--build <code>', 'the build')
      .option(
        '--units <list>',
        'build serials and ranges (1-60,75) of the build, or unit codes',
        unitList,
      )
      .option('--json', 'print JSON'),
  ).action(
    (
      ref: string,
      flags: DatabaseFlags & Json & { build?: string; units?: (number | SerialRange | string)[] },
    ) =>
      withContext(flags, async (ctx) => {
        const format = await codeOf(ctx, ref, 'format', 'serial_format');
        const result = await assignSerials(ctx, cliActor(), format, {
          ...(flags.build === undefined
            ? {}
            : { build: await codeOf(ctx, flags.build, 'build', 'build') }),
          ...(flags.units === undefined ? {} : { units: await unitRefsOf(ctx, flags.units) }),
        });
        if (flags.json) return printJson(result);
        console.log(
          `${result.assigned} serial${result.assigned === 1 ? '' : 's'} of ${result.format.name} assigned` +
            (result.skipped ? `; ${result.skipped} unit(s) had one already` : ''),
        );
        printTable(
          result.items.map((i) => ({ unit: i.unit, n: i.buildSerial, serial: i.serial })),
          ['unit', 'n', 'serial'],
        );
      }),
  );
}

function printFormat(f: SerialFormat): void {
  printFields({
    code: f.code,
    name: f.name,
    pattern: f.pattern,
    scope: f.part ? `${f.scope} (only ${f.part.name})` : f.scope,
    reset: f.reset,
    target: f.target === 'field' ? `custom field '${f.fieldName}'` : "the lot's name",
    assigned: f.assigned,
    archived: f.archived ? 'yes' : 'no',
  });
}
