import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { TracelotError, ValidationError } from '../../domain/errors.js';
import {
  MAX_RECEIVE_FILE_BYTES,
  RECEIVE_FIELDS,
  parseReceiveCsv,
  receiveRowRequest,
} from '../../domain/receive-csv.js';
import { receiveBatch } from '../../stock/receive-batch.service.js';
import { collectField, readTextFile } from '../arguments.js';
import { codeOf } from '../codes.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';

interface ReceiveCsvFlags extends DatabaseFlags {
  csv: string;
  location?: string;
  supplier?: string;
  map?: Record<string, string>;
  createParts?: boolean;
  json?: boolean;
}

/**
 * `tracelot receive --csv FILE`: the batch receipt of the web page's file mode — every row a
 * new lot, parts found by code, supplier part number or MPN (or created), all or nothing.
 */
export function receiveCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('receive')
      .description(
        'receive many lots from a CSV of bag or order lines (parts found by supplier part number or MPN, or created), all or nothing',
      )
      .requiredOption(
        '--csv <file>',
        'CSV with a header (comma, semicolon or tab): quantity and part, sku or mpn; optionally supplier, manufacturer, description, location, name, vendor lot, date code, order, expiry, note',
      )
      .option('--location <code>', 'where rows without a location column are received')
      .option('--supplier <name>', 'the distributor of rows without a supplier column (Mouser, …)')
      .option(
        '--map <column=field>',
        `read a column as a field (repeatable): ${RECEIVE_FIELDS.join(', ')}`,
        collectField,
      )
      .option('--create-parts', 'create a component part for each row no part matches')
      .option('--json', 'print JSON'),
  ).action((flags: ReceiveCsvFlags) =>
    withContext(flags, async (ctx) => {
      if (statSize(flags.csv) > MAX_RECEIVE_FILE_BYTES)
        throw new ValidationError('file', `${flags.csv} is larger than 2 MB: split it`);
      const parsed = parseReceiveCsv(readTextFile(flags.csv), flags.map, 'file');
      const lineOf = (row: number) => parsed.rows[row]?.line ?? 0;
      const rows = [];
      for (const [i, r] of parsed.rows.entries()) {
        const row = receiveRowRequest(
          { supplier: flags.supplier, ...r.values },
          flags.createParts ?? false,
        );
        // Short codes and names of parts and locations, as everywhere on the command line.
        const part = await codeOf(ctx, row.part, `rows.${i}.part`, 'part');
        const location = await codeOf(ctx, row.location, `rows.${i}.location`, 'location');
        rows.push({ ...row, part, location });
      }
      const location = await codeOf(ctx, flags.location, 'location', 'location');
      const result = await receiveBatch(ctx, cliActor(), { location, rows }).catch(
        (error: unknown) => {
          throw onFileLine(error, lineOf);
        },
      );
      if (flags.json) return printJson(result);
      printTable(
        result.lots.slice(0, 50).map((l) => ({ line: lineOf(l.row), ...l })),
        ['line', 'shortCode', 'part', 'location', 'quantity'],
      );
      if (result.lots.length > 50) console.log(`… and ${result.lots.length - 50} more`);
      for (const p of result.createdParts)
        console.error(`Created part ${p.name} (${p.shortCode}).`);
      console.error(
        `Received ${result.lots.length} lot${result.lots.length === 1 ? '' : 's'} (operation ${result.operation}).`,
      );
    }),
  );
}

function statSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    throw new ValidationError('file', `cannot read ${file}: no such file`);
  }
}

/** `rows.3.quantity: must be …` becomes `file: line 5 (quantity): must be …`. */
function onFileLine(error: unknown, lineOf: (row: number) => number): unknown {
  const match =
    error instanceof TracelotError ? /^rows\.(\d+)\.?(.*)$/.exec(error.field ?? '') : null;
  if (!match) return error;
  const what = match[2] ? ` (${match[2]})` : '';
  return new ValidationError(
    'file',
    `line ${lineOf(Number(match[1]))}${what}: ${(error as TracelotError).reason}`,
  );
}
