import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { SIGNABLE_OPERATIONS, type SignableOperation } from '../../domain/signature.js';
import { getSignatureSettings, setSignatureSettings } from '../../signatures/signature.service.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';

export function settingsCommand(program: Command): void {
  const settings = program.command('settings').description('settings of this instance');
  withDatabaseOptions(
    settings
      .command('signatures')
      .description(
        'which operations require an electronic signature; with --require, set them (the change is logged)',
      )
      .option(
        '--require <operations>',
        `comma-separated, of ${SIGNABLE_OPERATIONS.join(', ')}; '' for none`,
        operationList,
      )
      .option('--json', 'print JSON'),
  ).action((flags: DatabaseFlags & { require?: SignableOperation[]; json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const result =
        flags.require === undefined
          ? await getSignatureSettings(ctx)
          : await setSignatureSettings(ctx, cliActor(), { require: flags.require });
      if (flags.json) return printJson(result);
      printTable(
        result.operations.map((o) => ({
          operation: o.operation,
          required: o.required ? 'yes' : 'no',
          since: o.requiredSince ?? '',
          what: o.label,
        })),
        ['operation', 'required', 'since', 'what'],
      );
    }),
  );
}

function operationList(value: string): SignableOperation[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of names) {
    if (!(SIGNABLE_OPERATIONS as readonly string[]).includes(name))
      throw new InvalidArgumentError(
        `'${name}' is not an operation that can be signed (${SIGNABLE_OPERATIONS.join(', ')})`,
      );
  }
  return names as SignableOperation[];
}
