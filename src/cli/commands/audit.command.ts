import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { exportLog, getChange, listChanges, verifyLog } from '../../audit/audit.service.js';
import { pageOptions, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import {
  printFields,
  printJson,
  printPage,
  printTable,
  progress,
  progressDone,
} from '../output.js';

export function auditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('the change log: every write, hash-chained per site — verify, export, list, show');

  withDatabaseOptions(
    audit
      .command('verify')
      .description(
        'recompute the hash chain of every site and check balances, ledger entries and unit states against the log; names the first broken record (exit 1)',
      )
      .option(
        '--from <date>',
        'check the chain from this date (YYYY-MM-DD or ISO time) only; skips the state checks',
      )
      .option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { from?: string; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const started = performance.now();
      const report = await verifyLog(ctx, flags.from === undefined ? {} : { from: flags.from });
      if (!report.ok) process.exitCode = 1;
      if (flags.json) return printJson(report);
      const seconds = (performance.now() - started) / 1000;
      const scope = report.stateChecked ? 'chain, ledger, balances and unit states' : 'chain only';
      if (report.ok) {
        console.log(
          `OK: ${report.records} records of ${report.sites} site(s) verified (${scope}) in ${seconds.toFixed(2)} s.`,
        );
      } else {
        const first = report.firstBroken!;
        console.log(
          `BROKEN: ${first.seq === null ? '' : `record ${first.seq} `}${first.record ? `(${first.record}) ` : ''}${first.problem}`,
        );
        if (report.problems.length > 1) {
          console.log(`${report.problems.length} problems:`);
          printTable(report.problems, ['seq', 'record', 'problem']);
        }
      }
      if (report.head) console.log(`chain head: ${report.head.seq} ${report.head.hash}`);
    }),
  );

  withDatabaseOptions(
    audit
      .command('export')
      .description(
        'write the change records as JSON lines (hash, prev, record) and print the chain head to anchor elsewhere',
      )
      .requiredOption('-o, --output <file>', "the file to write ('-': standard output)")
      .option('--from <date>', 'records at or after this date')
      .option('--to <date>', 'records before this date')
      .option('--json', 'print the summary as JSON'),
  ).action(
    (flags: DatabaseFlags & { output: string; from?: string; to?: string; json?: boolean }) =>
      withContext(flags, async (ctx) => {
        const { head, lines } = await exportLog(ctx, { from: flags.from, to: flags.to });
        const toStdout = flags.output === '-';
        const out = toStdout ? process.stdout : createWriteStream(flags.output, { flags: 'wx' });
        let records = 0;
        for await (const line of lines) {
          if (!out.write(line)) await once(out, 'drain');
          if (++records % 10_000 === 0 && !toStdout) progress(`${records} records`);
        }
        if (!toStdout) {
          progressDone();
          out.end();
          await once(out, 'finish');
        }
        const summary = { file: flags.output, records, head };
        // The summary goes to standard error when the records go to standard output.
        const say = toStdout ? (s: string) => process.stderr.write(`${s}\n`) : console.log;
        if (flags.json) return say(JSON.stringify(summary, null, 2));
        say(`${records} records written to ${flags.output}`);
        if (head) say(`chain head: site ${head.site} record ${head.seq} hash ${head.hash}`);
      }),
  );

  withDatabaseOptions(
    pageOptions(
      audit
        .command('list')
        .description('list change records, newest first')
        .option('--actor <name>', "a user's or key's name or code")
        .option('--object <code>', 'records that touched this object (full code)')
        .option('--operation <name>', 'e.g. build_started, received, updated')
        .option('--from <date>', 'at or after this date')
        .option('--to <date>', 'before this date'),
    ),
  ).action(
    (
      flags: DatabaseFlags & {
        actor?: string;
        object?: string;
        operation?: string;
        from?: string;
        to?: string;
        limit: string;
        offset: string;
        json?: boolean;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const page = await listChanges(ctx, {
          actor: flags.actor,
          object: flags.object,
          operation: flags.operation,
          from: flags.from,
          to: flags.to,
          limit: flags.limit,
          offset: flags.offset,
        });
        if (flags.json) return printJson(page);
        printPage(
          page,
          page.items.map((c) => ({ ...c, actor: c.actor.name, hash: c.hash.slice(0, 12) })),
          ['at', 'actor', 'operation', 'objects', 'seq', 'id', 'hash'],
          'records',
          'No change records match.',
        );
      }),
  );

  withDatabaseOptions(
    audit
      .command('show')
      .description('one change record in full, with its hash')
      .argument('<id>')
      .option('--json', 'print JSON'),
  ).action((id: string, flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const change = await getChange(ctx, id);
      if (flags.json) return printJson(change);
      printFields({
        id: change.id,
        at: change.at,
        actor: change.actor.name,
        operation: change.operation,
        site: change.site,
        record: change.seq,
        hash: change.hash,
        previous: change.prev,
        objects: change.objects.length,
      });
      for (const e of change.events)
        console.log(`event ${e.type} ${e.subject} ${JSON.stringify(e.data)}`);
      for (const l of change.ledger) console.log(`ledger ${l.join(' ')}`);
      for (const s of change.states) console.log(`state ${s.join(' ')}`);
      if (change.signs) console.log(`signs ${change.signs.record} (${change.signs.meaning})`);
      for (const s of change.signatures)
        console.log(`signed by ${s.signer.name} — ${s.meaning} — ${s.at} (${s.id})`);
    }),
  );
}
