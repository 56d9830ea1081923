import { Option, type Command } from 'commander';
import { formatBytes } from '../../attachments/file-store.js';
import { migrateFiles } from '../../attachments/file-store.service.js';
import { withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printFields, printJson, printTable, progress, progressDone } from '../output.js';

export function filesCommand(program: Command): void {
  const files = program
    .command('files')
    .description('where attachment files are kept: the data folder or the database');
  withDatabaseOptions(
    files
      .command('migrate')
      .description(
        'move every attachment file into the data folder or the database (PostgreSQL), then keep them there',
      )
      .addOption(
        new Option('--to <store>', "'database' or 'folder'")
          .choices(['database', 'folder'])
          .makeOptionMandatory(),
      )
      .option('--delete-source', 'remove the files from where they were, once all are moved')
      .option('--json', 'print JSON')
      .addHelpText(
        'after',
        `
Each file is checked against its SHA-256 as it is written; what the target holds already is
skipped, so a run cut short continues where it stopped. Once every file an attachment names is
in the target, the instance keeps its files there: stop the servers first (or restart them
afterwards and run it again, to move what they received meanwhile). The source is kept unless
--delete-source. Afterwards: tracelot check --files --hash.`,
      ),
  ).action(
    (
      flags: DatabaseFlags & { to: 'database' | 'folder'; deleteSource?: boolean; json?: boolean },
    ) =>
      withContext(flags, async (ctx) => {
        const result = await migrateFiles(ctx.db, {
          dataDir: flags.data,
          to: flags.to,
          deleteSource: flags.deleteSource ?? false,
          ...(flags.json ? {} : { onProgress: progress }),
        });
        if (!result.switched || result.damaged.length > 0) process.exitCode = 1;
        if (flags.json) return printJson(result);
        progressDone();
        printFields({
          copied: `${result.copied.count} (${formatBytes(result.copied.bytes)}), each checked against its SHA-256`,
          'there already': result.present,
          ...(flags.deleteSource ? { 'removed from the source': result.deleted } : {}),
        });
        if (result.damaged.length > 0) {
          console.log(`${result.damaged.length} file(s) could not be copied:`);
          printTable(result.damaged, ['sha256', 'problem']);
        }
        if (result.missing.length > 0) {
          console.log(
            `${result.missing.length} file(s) that attachments name are not in the target, so the instance still keeps its files in the ${result.from}:`,
          );
          printTable(result.missing, ['sha256', 'size', 'problem']);
        } else
          console.log(
            `Done: this instance keeps its files in the ${result.to === 'database' ? 'database' : 'data folder'}; start every server with --files ${result.to} (or without --files).`,
          );
      }),
  );
}
