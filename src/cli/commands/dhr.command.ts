import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { renderDhrPdf } from '../../dhr/dhr-pdf.js';
import { getDhr } from '../../dhr/dhr.service.js';
import { codeOf } from '../codes.js';
import { withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson } from '../output.js';

type DhrFlags = DatabaseFlags & { output?: string; json?: boolean };

export function dhrCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('dhr')
      .description(
        'the Device History Record of a unit or a build: a PDF (or its JSON) with identity, build and BOM, genealogy down to supplier lots, stages, tests, installations, service events, shipments, files and history',
      )
      .argument(
        '<unit|build>',
        "a unit or a build: its code or short code, a unit's build serial (<build>-<n>) or customer serial",
      )
      .option('-o, --output <file>', 'write the PDF (or with --json, the JSON) here')
      .option('--json', 'the same content as JSON: printed, or written to --output'),
  ).action((ref: string, flags: DhrFlags) =>
    withContext(flags, async (ctx) => {
      if (!flags.json && !flags.output && process.stdout.isTTY)
        throw new InvalidArgumentError(
          'a PDF is not for the terminal: give --output (or redirect it, or ask for --json)',
        );
      const dhr = await getDhr(ctx, await codeOf(ctx, ref, 'code'));
      if (flags.json && !flags.output) return printJson(dhr);
      const body = flags.json ? `${JSON.stringify(dhr, null, 2)}\n` : await renderDhrPdf(dhr);
      if (!flags.output) return void process.stdout.write(body);
      writeFileSync(flags.output, body);
      process.stderr.write(`${dhr.title} written to ${flags.output}\n`);
    }),
  );
}
