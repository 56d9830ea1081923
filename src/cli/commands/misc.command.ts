import type { Command } from 'commander';
import { checkFiles, type FileCheck } from '../../attachments/file-check.js';
import { fileStoreIn, formatBytes } from '../../attachments/file-store.js';
import { checkInstallations } from '../../builds/installation.service.js';
import { createContext } from '../../context.js';
import { openDatabase } from '../../db/database.js';
import { resolve } from '../../resolver/resolve.service.js';
import type { ScanResult } from '../../resolver/scan.schemas.js';
import { scan } from '../../resolver/scan.service.js';
import { checkLedger } from '../../stock/stock.service.js';
import { withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printFields, printJson, printTable } from '../output.js';

export function resolveCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('resolve')
      .description('find the object any scanned or typed text names: code, prefix, URL, UUID')
      .argument('<text>')
      .option('--json', 'print JSON'),
  ).action((text: string, flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const found = await resolve(ctx, text);
      if (flags.json) printJson(found);
      else console.log(`${found.kind} ${found.code}  ${found.name}`);
    }),
  );
}

export function scanCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('scan')
      .description(
        'read anything scanned — codes, serials, GS1 UDI data, distributor bag labels — and what it names',
      )
      .argument('<text>', 'the scanned text; control characters may be typed as <GS>, {RS}, …')
      .option(
        '--json',
        'print JSON: the format, the fields read, the resolved object, the receipt',
      ),
  ).action((text: string, flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const result = await scan(ctx, text);
      process.exitCode = scanExitCode(result);
      if (flags.json) return printJson(result);
      console.log(`${result.recognised}: ${result.text}`);
      if (result.fields.length)
        printFields(Object.fromEntries(result.fields.map((f) => [f.label, f.value])));
      if (result.resolved)
        console.log(`→ ${result.resolved.kind} ${result.resolved.code}  ${result.resolved.name}`);
      for (const c of result.candidates ?? []) console.log(`  ${c.kind} ${c.code}  ${c.name}`);
      for (const w of result.warnings) console.log(`warning: ${w}`);
      if (result.message) console.log(result.message);
    }),
  );
}

/**
 * Whatever the output format: 0 when the text names one object, 2 when it names several (give
 * more characters, as every command answers a prefix of several), 1 when it names nothing — a
 * well-formed code of nothing, or text that is no code, serial or label (it may be a customer
 * serial that no unit carries), is a negative answer, not bad input.
 */
function scanExitCode(result: ScanResult): number {
  if (result.resolved) return 0;
  return result.candidates ? 2 : 1;
}

export function checkCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('check')
      .description(
        'verify that every stock balance equals the sum of its ledger entries, that no unit holds more sub-assemblies than its BOM allows, and the files',
      )
      .option('--files', "also check that every attachment's file is in the data folder")
      .option('--hash', 'with --files: also read every file and check its SHA-256 (slow)')
      .option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { files?: boolean; hash?: boolean; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const ledger = await checkLedger(ctx);
      const installations = await checkInstallations(ctx);
      const files =
        flags.files || flags.hash
          ? await checkFiles(ctx.db, fileStoreIn(flags.data), flags.hash ?? false)
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
  if (files.ok)
    console.log(
      `OK: the ${files.contents} files the attachments name are in the data folder${hashed ? ', each with the bytes of its SHA-256' : ''}.`,
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
      `${files.parts.count} upload part(s) (${formatBytes(files.parts.bytes)}) in files/tmp not written to for an hour: left by interrupted uploads; a server removes them as it starts.`,
    );
}

export function openapiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI document of the REST API')
    .action(async () => {
      // The document comes from the route schemas; the database is never queried.
      const { buildApp } = await import('../../http/app.js');
      const handle = openDatabase({ url: ':memory:' });
      const app = await buildApp({ ctx: createContext(handle.db) });
      await app.ready();
      console.log(JSON.stringify(app.swagger(), null, 2));
      await app.close();
      await handle.close();
    });
}
