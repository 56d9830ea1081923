import type { Command } from 'commander';
import { backUp } from '../../backup/backup.js';
import { isPostgresUrl } from '../../db/database.js';
import { withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printFields, printJson, progress, progressDone } from '../output.js';

export function backupCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('backup')
      .description(
        'copy the data folder (SQLite database and attachment files) while servers keep running',
      )
      .argument('<folder>', 'where the copy goes; run again into it to bring it up to date')
      .option('--json', 'print JSON')
      .addHelpText(
        'after',
        `
The copy is a data folder itself: restore by stopping the servers and starting them with
--data <folder> (or by copying the folder back). With PostgreSQL (--database) only the
attachment files are copied: back the database up with pg_dump at the same time.`,
      ),
  ).action(async (folder: string, flags: DatabaseFlags & { json?: boolean }) => {
    const postgres = isPostgresUrl(flags.database ?? '');
    const started = performance.now();
    const result = await backUp({
      dataDir: flags.data,
      target: folder,
      postgres,
      ...(flags.json ? {} : { onProgress: progress }),
    });
    if (flags.json) return printJson(result);
    progressDone();
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    printFields({
      database: result.database
        ? `${result.database.file} (${mb(result.database.bytes)})`
        : 'PostgreSQL: not copied — back it up with pg_dump',
      files: `${result.files.copied} copied (${mb(result.files.bytes)}), ${result.files.present} there already`,
      took: `${((performance.now() - started) / 1000).toFixed(1)} s`,
    });
  });
}
