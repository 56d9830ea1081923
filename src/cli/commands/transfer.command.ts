import type { Command } from 'commander';
import { exportInstance } from '../../transfer/export.service.js';
import { importInstance } from '../../transfer/import.service.js';
import { withContext, withDatabaseOptions, type DatabaseFlags, filesOf } from '../options.js';
import { partsboxImportCommand } from './partsbox.command.js';
import { printFields, printJson, progress, progressDone } from '../output.js';

type Flags = DatabaseFlags & { json?: boolean };

/** `tracelot export DIR` and `tracelot import DIR`: a whole instance, to move it or keep it. */
export function transferCommands(program: Command): void {
  withDatabaseOptions(
    program
      .command('export')
      .description(
        'write the whole instance into a new directory: a JSON-lines file per table (change log included), the attachment files by hash, and a manifest with checksums',
      )
      .argument('<dir>', 'a new or empty directory')
      .option('--json', 'print the manifest as JSON (and no progress)')
      .addHelpText(
        'after',
        `
The tables are read in one snapshot while servers keep running. Read it back into an empty
instance with \`tracelot import <dir>\`, on SQLite or PostgreSQL: see docs/sites.md.`,
      ),
  ).action((dir: string, flags: Flags) =>
    withContext(flags, async (ctx) => {
      const manifest = await exportInstance(ctx.db, {
        dir,
        store: await filesOf(ctx, flags),
        ...(flags.json ? {} : { onProgress: progress }),
      });
      if (flags.json) return printJson(manifest);
      progressDone();
      printFields({
        exported: dir,
        site: `${manifest.site.name} (${manifest.site.id})`,
        'chain head': `record ${manifest.head.seq} ${manifest.head.hash}`,
        rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
        files: `${manifest.files.count} (${manifest.files.bytes} bytes)`,
      });
    }),
  );

  const importCommand = withDatabaseOptions(
    program
      .command('import')
      .description(
        'read an export directory into an empty instance (just migrated, or just started), which then is the exported instance: rows, change log, chain head and files',
      )
      .argument('<dir>', 'a directory written by `tracelot export`')
      .option('--json', 'print the result as JSON (and no progress)')
      .addHelpText(
        'after',
        `
Before writing anything the manifest (format, migration) and every file's SHA-256 are checked;
then the rows are inserted in one transaction that ends with \`tracelot audit verify\`'s check
and rolls back if it fails. The target must hold nothing but what its first start wrote.
\`tracelot import partsbox <dir>\` moves in from PartsBox instead (a directory named partsbox:
write ./partsbox).`,
      ),
  );
  importCommand.action((dir: string, flags: Flags) =>
    withContext(flags, async (ctx) => {
      const result = await importInstance(ctx, {
        dir,
        store: await filesOf(ctx, flags),
        ...(flags.json ? {} : { onProgress: progress }),
      });
      const summary = {
        site: result.manifest.site,
        head: result.verify.head,
        rows: result.rows,
        files: result.files,
        verified: { ok: result.verify.ok, records: result.verify.records },
      };
      if (flags.json) return printJson(summary);
      progressDone();
      printFields({
        imported: dir,
        site: `${summary.site.name} (${summary.site.id})`,
        rows: summary.rows,
        files: summary.files,
        verify: `OK: ${summary.verified.records} records, chain head ${summary.head!.seq} ${summary.head!.hash}`,
      });
    }),
  );
  partsboxImportCommand(importCommand);
}
