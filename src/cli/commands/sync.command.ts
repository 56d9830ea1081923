import type { Command } from 'commander';
import { fileStoreIn } from '../../attachments/file-store.js';
import { exportBundle, importBundle, vectorFor } from '../../sync/sync-file.service.js';
import { withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printFields, printJson, progress, progressDone } from '../output.js';

type Flags = DatabaseFlags & { json?: boolean };

/** `tracelot sync export` / `sync import`: sync between sites through a file (docs/sites.md). */
export function syncCommand(program: Command): void {
  const sync = program
    .command('sync')
    .description('exchange change records with other sites (docs/sites.md "How sites sync")');
  withDatabaseOptions(
    sync
      .command('export')
      .description('write what another site lacks into a bundle file, to carry it there')
      .requiredOption('--to <file>', 'the bundle file to write (a new file, e.g. site-b.tlsync)')
      .option(
        '--for <site>',
        'the site it is for: only what that site lacked when its records last came here (default: everything)',
      )
      .option('--json', 'print the result as JSON (and no progress)'),
  ).action((flags: Flags & { to: string; for?: string }) =>
    withContext(flags, async (ctx) => {
      const since = await vectorFor(ctx, flags.for);
      const result = await exportBundle(
        ctx,
        fileStoreIn(flags.data),
        flags.to,
        since,
        flags.json ? undefined : progress,
      );
      if (flags.json) return printJson(result);
      progressDone();
      printFields({ written: result.file, lines: result.lines });
    }),
  );
  withDatabaseOptions(
    sync
      .command('import')
      .description(
        'apply a bundle of another site: its records, rows and files, in one transaction; what is here already is skipped',
      )
      .argument('<file>', 'a bundle written by `tracelot sync export`')
      .option('--json', 'print the result as JSON (and no progress)'),
  ).action((file: string, flags: Flags) =>
    withContext(flags, async (ctx) => {
      const result = await importBundle(
        ctx,
        fileStoreIn(flags.data),
        file,
        flags.json ? undefined : progress,
      );
      if (flags.json) return printJson(result);
      progressDone();
      printFields({
        from: `${result.from.name} (${result.from.id})`,
        records: `${result.records.applied} new of ${result.records.received}`,
        rows: `${result.rows.inserted} added, ${result.rows.updated} updated, ${result.rows.kept} kept`,
        files: result.files,
        conflicts: result.conflicts,
      });
    }),
  );
}
