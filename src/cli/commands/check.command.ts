import type { Command } from 'commander';
import { checkFiles, type FileCheck } from '../../attachments/file-check.js';
import { formatBytes } from '../../attachments/file-store.js';
import { checkInstallations } from '../../builds/installation.service.js';
import { checkLedger } from '../../stock/stock.service.js';
import { withContext, withDatabaseOptions, type DatabaseFlags, filesOf } from '../options.js';
import { printJson, printTable } from '../output.js';

export function checkCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('check')
      .description(
        'verify that every stock balance equals the sum of its ledger entries, that no unit holds more sub-assemblies than its BOM allows, and the files',
      )
      .option(
        '--files',
        "also check that every attachment's file is in the file store (the data folder or the database)",
      )
      .option('--hash', 'with --files: also read every file and check its SHA-256 (slow)')
      .option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { files?: boolean; hash?: boolean; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const ledger = await checkLedger(ctx);
      const installations = await checkInstallations(ctx);
      const files =
        flags.files || flags.hash
          ? await checkFiles(ctx.db, await filesOf(ctx, flags), flags.hash ?? false)
          : undefined;
      const ok = ledger.ok && installations.ok && (files?.ok ?? true);
      if (!ok) process.exitCode = 1;
      if (flags.json)
        return printJson({ ...ledger, ok, installations, ...(files ? { files } : {}) });
      if (ledger.ok)
        console.log(`OK: ${ledger.balances} balances match ${ledger.entries} ledger entries.`);
      else {
        console.log(`${ledger.mismatches.length} balance(s) do not match the ledger:`);
        printTable(ledger.mismatches, [
          'lot',
          'location',
          'status',
          'balance',
          'ledger',
          'problem',
        ]);
      }
      if (!installations.ok) {
        console.log(
          `${installations.overfilled.length} unit(s) hold more sub-assemblies than their BOM entry allows:`,
        );
        printTable(installations.overfilled, ['parent', 'entry', 'installed', 'allowed']);
      }
      if (files) printFileCheck(files, flags.hash ?? false);
    }),
  );
}

function printFileCheck(files: FileCheck, hashed: boolean): void {
  const where = files.store === 'database' ? 'the database' : 'the data folder';
  if (files.ok)
    console.log(
      `OK: the ${files.contents} files the attachments name are in ${where}${hashed ? ', each with the bytes of its SHA-256' : ''}.`,
    );
  if (files.missing.length) {
    console.log(`${files.missing.length} file(s) that attachments name are lost:`);
    printTable(files.missing, ['sha256', 'size', 'problem']);
  }
  if (files.damaged.length) {
    console.log(`${files.damaged.length} file(s) no longer hash to their name (damaged):`);
    for (const sha of files.damaged) console.log(`  ${sha}`);
  }
  if (files.orphans.count)
    console.log(
      `${files.orphans.count} file(s) (${files.orphans.bytes} bytes) belong to no attachment: left by uploads whose database write failed.`,
    );
  if (files.parts.count)
    console.log(
      `${files.parts.count} upload part(s) (${formatBytes(files.parts.bytes)}) ${files.store === 'database' ? 'in the database not published for a day' : 'in files/tmp not written to for an hour'}: left by interrupted uploads; a server removes them as it starts.`,
    );
}
