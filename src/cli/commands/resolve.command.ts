import type { Command } from 'commander';
import { resolve } from '../../resolver/resolve.service.js';
import type { ScanResult } from '../../resolver/scan.schemas.js';
import { scan } from '../../resolver/scan.service.js';
import { withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printFields, printJson } from '../output.js';

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
