import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { LABEL_MEDIA_IDS } from '../../domain/label-media.js';
import {
  formatLineText,
  LABEL_SYMBOLOGIES,
  parseLineText,
  type LabelSymbology,
} from '../../domain/label-template.js';
import { printLabels } from '../../labels/label-print.service.js';
import {
  createLabelTemplate,
  listLabelMedia,
  listLabelTemplates,
} from '../../labels/label-template.service.js';
import { collect, unitList } from '../arguments.js';
import { printToPrinter } from './printer.command.js';

import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';
import { codeOf, codesOf, unitRefsOf } from '../codes.js';

interface PrintFlags extends DatabaseFlags {
  template?: string;
  media?: string;
  symbology?: LabelSymbology;
  format: 'pdf' | 'zpl';
  build?: string;
  units?: ReturnType<typeof unitList>;
  shipment?: string;
  start?: number;
  dpi: 203 | 300;
  publicUrl?: string;
  output?: string;
  printer?: string;
  copies?: number;
  json?: boolean;
}

export function labelCommand(program: Command): void {
  const label = program
    .command('label')
    .description('labels: print them (PDF or ZPL), list media presets, manage templates');
  withDatabaseOptions(
    label
      .command('print')
      .description(
        'print labels for units, lots or any objects, all units of a build, or a shipment; writes the PDF or ZPL to stdout or --output',
      )
      .argument('[codes...]', 'codes (any forgiving form) of what to label')
      .option('--template <name or code>', 'a label template (default: the media preset layout)')
      .option('--media <preset>', `without --template: ${LABEL_MEDIA_IDS.join(', ')}`)
      .addOption(
        new Option('--symbology <type>', 'without --template: the symbol').choices(
          LABEL_SYMBOLOGIES,
        ),
      )
      .addOption(new Option('--format <format>', 'output').choices(['pdf', 'zpl']).default('pdf'))
      .option('--build <code>', 'every unit of this build, in build-serial order')
      .option(
        '--units <list>',
        'with --build: only these units, e.g. 1-5,8 or unit codes',
        unitList,
      )
      .option('--shipment <code>', 'every unit of this shipment')
      .option('--start <n>', 'A4 sheets: the first free label (1 = top left)', positive)
      .addOption(
        new Option('--dpi <dpi>', 'ZPL: printer resolution')
          .choices(['203', '300'])
          .default(203)
          .argParser((v) => Number(v) as 203 | 300),
      )
      .addOption(
        new Option('--public-url <url>', 'base of the unit page URLs the symbols carry')
          .env('TRACELOT_PUBLIC_URL')
          .default('http://localhost:8080'),
      )
      .option('-o, --output <file>', 'write here instead of stdout')
      .option(
        '--printer <name>',
        'send to this printer instead (a logged print job; docs/printers.md)',
      )
      .option('--copies <n>', 'with --printer: copies of each label', positive)
      .option('--json', 'with --printer: print the job as JSON'),
  ).action((codes: string[], flags: PrintFlags) =>
    withContext(flags, async (ctx) => {
      const what = {
        codes: await codesOf(ctx, codes),
        ...(flags.template && {
          template: await codeOf(ctx, flags.template, 'template', 'label_template'),
        }),
        ...(flags.media && { media: flags.media }),
        ...(flags.symbology && { symbology: flags.symbology }),
        ...(flags.build && { build: await codeOf(ctx, flags.build, 'build', 'build') }),
        ...(flags.units && { units: await unitRefsOf(ctx, flags.units) }),
        ...(flags.shipment && {
          shipment: await codeOf(ctx, flags.shipment, 'shipment', 'shipment'),
        }),
      };
      const baseUrl = flags.publicUrl ?? 'http://localhost:8080';
      if (flags.printer)
        return printToPrinter(
          ctx,
          { ...what, printer: flags.printer, ...(flags.copies && { copies: flags.copies }) },
          baseUrl,
          flags.json === true,
        );
      if (!flags.output && flags.format === 'pdf' && process.stdout.isTTY)
        throw new InvalidArgumentError(
          'a PDF is not for the terminal: redirect it (> labels.pdf) or give --output',
        );
      const printed = await printLabels(
        ctx,
        {
          ...what,
          format: flags.format,
          dpi: flags.dpi,
          ...(flags.start && { startPosition: flags.start }),
        },
        baseUrl,
      );
      const body = Buffer.concat(await printed.body.toArray());
      if (flags.output) writeFileSync(flags.output, body);
      else process.stdout.write(body);
      process.stderr.write(
        `${printed.count} label${printed.count === 1 ? '' : 's'} (${flags.format})${flags.output ? ` written to ${flags.output}` : ''}\n`,
      );
    }),
  );
  label
    .command('media')
    .description('the media presets: tapes, thermal labels, A4 sheets')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) => {
      const media = listLabelMedia();
      if (flags.json) return printJson(media);
      printTable(
        media.map((m) => ({ ...m, size: `${m.widthMm} × ${m.heightMm} mm` })),
        ['id', 'size', 'labelsPerPage', 'name'],
      );
    });
  const template = label.command('template').description('label templates');
  withDatabaseOptions(
    template
      .command('add')
      .description('create a template; lines are text with fields in braces')
      .argument('<name>')
      .requiredOption('--media <preset>', LABEL_MEDIA_IDS.join(', '))
      .addOption(
        new Option('--symbology <type>', 'the symbol')
          .choices(LABEL_SYMBOLOGIES)
          .default('datamatrix'),
      )
      .addOption(
        new Option('--content <content>', 'what the symbol carries: the page URL or the bare code')
          .choices(['url', 'code'])
          .default('url'),
      )
      .option(
        '--line <text>',
        'a text line, e.g. "S/N {customerSerial}" (repeatable; fields: shortCode, code, partName, mpn, buildSerial, customerSerial, lotName, date, custom:<key>)',
        collect,
      )
      .option('--json', 'print JSON'),
  ).action(
    (
      name: string,
      flags: DatabaseFlags & {
        media: string;
        symbology: LabelSymbology;
        content: 'url' | 'code';
        line?: string[];
        json?: boolean;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const created = await createLabelTemplate(ctx, cliActor(), {
          name,
          media: flags.media,
          symbology: flags.symbology,
          content: flags.content,
          lines: (flags.line ?? []).map(parseLineText),
        });
        if (flags.json) printJson(created);
        else console.log(`${created.code}  ${created.name}`);
      }),
  );
  withDatabaseOptions(
    template
      .command('list')
      .description('the label templates')
      .option('--archived', 'list archived templates instead')
      .option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { archived?: boolean; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const items = await listLabelTemplates(ctx, { archived: flags.archived ? 'true' : 'false' });
      if (flags.json) return printJson(items);
      printTable(
        items.map((t) => ({
          ...t,
          media:
            typeof t.media === 'string' ? t.media : `${t.media.widthMm}×${t.media.heightMm} mm`,
          lines: t.lines.map(formatLineText).join(' | '),
        })),
        ['shortCode', 'name', 'media', 'symbology', 'content', 'lines'],
        'No label templates: `tracelot label template add` creates one; `label print --media` works without.',
      );
    }),
  );
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('not a whole number ≥ 1');
  return n;
}
