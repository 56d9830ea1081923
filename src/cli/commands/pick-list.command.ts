import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { renderPickListPdf } from '../../builds/pick-list-pdf.js';
import { getPickList, pickListCsv } from '../../builds/pick-list.service.js';
import type { PickList } from '../../builds/pick-list.schemas.js';
import { collect } from '../arguments.js';
import { codeOf } from '../codes.js';
import { withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';

type PickListFlags = DatabaseFlags & {
  stage?: number;
  format?: 'json' | 'csv' | 'pdf';
  json?: boolean;
  output?: string;
  lot?: string[];
};

/** `tracelot build pick-list`: the lots to take for a build or one stage, by location. */
export function pickListCommand(build: Command): void {
  withDatabaseOptions(
    build
      .command('pick-list')
      .description(
        "the lots to take for the units still missing a stage (or every stage), grouped by location, as the completion would pick them (the build's picking rule, lots chosen with --lot)",
      )
      .argument('<build>')
      .option('--stage <n>', 'one stage only', stageNumber)
      .addOption(
        new Option('--format <format>', 'csv, pdf or json instead of a table').choices([
          'csv',
          'pdf',
          'json',
        ]),
      )
      .option('--json', 'print JSON (the same as --format json)')
      .option(
        '--lot <entry=lot[:qty]>',
        'this lot for a BOM entry instead of the picking rule (repeatable)',
        collect,
      )
      .option('-o, --output <file>', 'write the list (CSV, PDF or JSON) to this file'),
  ).action((ref: string, flags: PickListFlags) =>
    withContext(flags, async (ctx) => {
      const format = flags.format ?? (flags.json ? 'json' : undefined);
      if (format === 'pdf' && !flags.output && process.stdout.isTTY)
        throw new InvalidArgumentError(
          'a PDF is not for the terminal: give --output (or redirect it)',
        );
      const lots: string[] = [];
      for (const item of flags.lot ?? []) {
        const match = /^(\d+)=([^:]+)(?::(.+))?$/.exec(item.trim());
        if (!match)
          throw new InvalidArgumentError(`expected entry=lot or entry=lot:quantity, got '${item}'`);
        const lot = await codeOf(ctx, match[2]!, 'lot', 'lot');
        lots.push(`${match[1]}=${lot}${match[3] ? `:${match[3]}` : ''}`);
      }
      const list = await getPickList(ctx, await codeOf(ctx, ref, 'build', 'build'), {
        ...(flags.stage === undefined ? {} : { stage: flags.stage }),
        ...(lots.length > 0 ? { lots: lots.join(',') } : {}),
      });
      if (format === undefined && !flags.output) return printPickList(list);
      const body =
        format === 'pdf'
          ? await renderPickListPdf(list)
          : format === 'csv'
            ? pickListCsv(list)
            : `${JSON.stringify(list, null, 2)}\n`;
      if (!flags.output) {
        if (format === 'json') printJson(list);
        else process.stdout.write(body);
        return;
      }
      writeFileSync(flags.output, body);
      process.stderr.write(
        `Pick list of build ${list.build.shortCode} written to ${flags.output}\n`,
      );
    }),
  );
}

function printPickList(list: PickList): void {
  const stages = list.stages.map((s) => `stage ${s.stage}: ${s.units} unit(s)`).join(', ');
  console.log(`Pick list of build ${list.build.shortCode} (${list.build.project.name}): ${stages}`);
  for (const g of list.locations) {
    console.log(`\n${g.location.name}`);
    printTable(
      g.lines.map((l) => ({
        stage: l.stage,
        entry: l.entryNo,
        part: l.part.name,
        lot: l.lot.shortCode,
        'vendor lot': l.lot.vendorLot,
        received: l.lot.receivedAt.slice(0, 10),
        quantity: `${l.quantity} ${l.part.unit}`,
      })),
      ['stage', 'entry', 'part', 'lot', 'vendor lot', 'received', 'quantity'],
      '',
    );
  }
  if (list.locations.length === 0) console.log('Nothing to pick.');
  for (const s of list.shortages)
    console.log(`Short: entry ${s.entryNo} (${s.part.name}) misses ${s.short} ${s.part.unit}`);
}

function stageNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number from 1');
  return n;
}
