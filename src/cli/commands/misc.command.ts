import type { Command } from 'commander';
import { createContext } from '../../context.js';
import { openDatabase } from '../../db/database.js';
import { resolve } from '../../resolver/resolve.service.js';
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
      if (flags.json) return printJson(result);
      console.log(`${result.recognised}: ${result.text}`);
      if (result.fields.length)
        printFields(Object.fromEntries(result.fields.map((f) => [f.label, f.value])));
      if (result.resolved)
        console.log(`→ ${result.resolved.kind} ${result.resolved.code}  ${result.resolved.name}`);
      for (const c of result.candidates ?? []) console.log(`  ${c.kind} ${c.code}  ${c.name}`);
      for (const w of result.warnings) console.log(`warning: ${w}`);
      if (result.message) console.log(result.message);
      if (!result.resolved) process.exitCode = 1;
    }),
  );
}

export function checkCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('check')
      .description('verify that every stock balance equals the sum of its ledger entries')
      .option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const result = await checkLedger(ctx);
      if (flags.json) printJson(result);
      else if (result.ok)
        console.log(`OK: ${result.balances} balances match ${result.entries} ledger entries.`);
      else {
        console.log(`${result.mismatches.length} balance(s) do not match the ledger:`);
        printTable(result.mismatches, [
          'lot',
          'location',
          'status',
          'balance',
          'ledger',
          'problem',
        ]);
      }
      if (!result.ok) process.exitCode = 1;
    }),
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
