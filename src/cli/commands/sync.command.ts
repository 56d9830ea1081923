import type { Command } from 'commander';
import type { Conflict } from '../../sync/conflict.schemas.js';
import { listConflicts, resolveConflict } from '../../sync/conflict.service.js';
import { syncPeers } from '../../sync/peer.service.js';
import { exportBundle, importBundle, vectorFor } from '../../sync/sync-file.service.js';
import {
  cliActor,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  filesOf,
} from '../options.js';
import {
  printFields,
  printJson,
  printPage,
  printTable,
  progress,
  progressDone,
} from '../output.js';

type Flags = DatabaseFlags & { json?: boolean };

/** `tracelot sync export` / `sync import`: sync between sites through a file (docs/sites.md). */
export function syncCommand(program: Command): void {
  const sync = program
    .command('sync')
    .description('exchange change records with other sites (docs/sites.md "How sites sync")');
  withDatabaseOptions(
    sync
      .command('now [site]', { isDefault: true })
      .description(
        'sync with every site added by `tracelot site add`, or the one named: send what it lacks, receive what this site lacks',
      )
      .option('--json', 'print the results as JSON (and no progress)'),
  ).action((name: string | undefined, flags: Flags) =>
    withContext(flags, async (ctx) => {
      const results = await syncPeers(
        ctx,
        await filesOf(ctx, flags),
        name,
        flags.json ? undefined : progress,
      );
      if (flags.json) return printJson({ items: results });
      progressDone();
      if (results.length === 0)
        return console.log('No sites to sync with: add one with `tracelot site add`.');
      printTable(
        results.map((r) => ({
          site: r.site.name,
          sent: r.sent ? `${r.sent.records.applied} records` : '',
          received: r.received ? `${r.received.records.applied} records` : '',
          conflicts: String((r.sent?.conflicts ?? 0) + (r.received?.conflicts ?? 0)),
          result: r.error ? `failed: ${r.error}` : 'ok',
        })),
        ['site', 'sent', 'received', 'conflicts', 'result'],
      );
      if (results.some((r) => r.error)) process.exitCode = 1;
    }),
  );
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
        await filesOf(ctx, flags),
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
        await filesOf(ctx, flags),
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
  withDatabaseOptions(
    sync
      .command('conflicts')
      .description('what sync could not merge silently, with both sides: open ones, newest first')
      .option('--all', 'resolved ones too')
      .option('--limit <n>', 'at most this many', '50')
      .option('--offset <n>', 'skip this many', '0')
      .option('--json', 'print JSON'),
  ).action((flags: Flags & { all?: boolean; limit: string; offset: string }) =>
    withContext(flags, async (ctx) => {
      const page = await listConflicts(ctx, {
        all: flags.all ?? false,
        limit: Number(flags.limit),
        offset: Number(flags.offset),
      });
      if (flags.json) return printJson(page);
      printPage(
        page,
        page.items.map(conflictRow),
        ['conflict', 'kind', 'subject', 'in effect', 'other', 'state'],
        'conflicts',
        flags.all ? 'No conflicts: every sync so far merged by itself.' : 'No open conflicts.',
      );
    }),
  );
  withDatabaseOptions(
    sync
      .command('resolve')
      .description('say which side of a conflict stands, and why (logged in the unit history)')
      .argument('<code>', 'the conflict')
      .requiredOption('--keep <side>', 'kept (the side in effect) or other')
      .requiredOption('--note <text>', 'why')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: Flags & { keep: 'kept' | 'other'; note: string }) =>
    withContext(flags, async (ctx) => {
      const conflict = await resolveConflict(ctx, cliActor(), code, {
        keep: flags.keep,
        note: flags.note,
      });
      if (flags.json) return printJson(conflict);
      printFields(conflictRow(conflict));
    }),
  );
}

function conflictRow(c: Conflict): Record<string, string> {
  const side = (s: Conflict['kept']) => `${s.site ?? '?'} ${s.at ?? ''} ${s.actor ?? ''}`.trim();
  return {
    conflict: c.code,
    kind: c.kind,
    subject: c.subject,
    'in effect': side(c.kept),
    other: side(c.other),
    state: c.resolution ? `resolved: ${c.resolution.keep} (${c.resolution.note})` : 'open',
  };
}
