import type { Command } from 'commander';
import { importPartsbox } from '../../partsbox/partsbox-import.service.js';
import { readPartsboxDir } from '../../partsbox/partsbox-files.js';
import type { PartsboxReport } from '../../partsbox/partsbox.schemas.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable, progress, progressDone } from '../output.js';

type Flags = DatabaseFlags & { json?: boolean };

/** `tracelot import partsbox DIR`: move in from PartsBox (docs/partsbox.md). */
export function partsboxImportCommand(parent: Command): void {
  withDatabaseOptions(
    parent
      .command('partsbox')
      .description(
        'move in from PartsBox: storage locations, parts, lots with their stock history, projects with their BOMs, each keeping its PartsBox id as its code',
      )
      .argument(
        '<dir>',
        'a directory of JSON files written from the PartsBox API (docs/partsbox.md)',
      )
      .option('--json', 'print the report as JSON (and no progress)')
      .addHelpText(
        'after',
        `
DIR holds part.json (required), storage.json, lot.json, project.json (each project with a
"project/entries" list), build.json and order.json: each the "data" of one PartsBox API listing.
docs/partsbox.md has the curl commands that write them and what each key becomes.

Everything is written in one transaction, as the CLI user, through the usual services (the
change log records it): bad input changes nothing and names the file, the record and the key.
What exists already (a PartsBox id that is a code here) is skipped as "already imported", so
running it again adds only what is new. Builds and orders have no place in Tracelot and are
listed as skipped with the reason.`,
      ),
  ).action((dir: string, _flags: Flags, command: Command) => {
    // The parent \`import\` reads the options it shares (--data, --database, --json) first.
    const flags = command.optsWithGlobals<Flags>();
    return withContext(flags, async (ctx) => {
      const data = readPartsboxDir(dir);
      const report = await importPartsbox(ctx, cliActor(), data, {
        ...(flags.json ? {} : { onProgress: progress }),
      });
      if (flags.json) return printJson(report);
      progressDone();
      printReport(dir, report);
    });
  });
}

function printReport(dir: string, report: PartsboxReport): void {
  console.log(`imported from ${dir}:`);
  printTable(
    Object.entries(report.imported).map(([kind, count]) => ({ kind, imported: count })),
    ['kind', 'imported'],
  );
  if (report.newCodes.length) {
    console.log('\nids that are no codes, and the code each got:');
    printTable(report.newCodes, ['kind', 'id', 'code']);
  }
  if (report.skipped.length) {
    console.log('\nskipped:');
    printTable(report.skipped, ['kind', 'id', 'name', 'reason']);
  }
}
