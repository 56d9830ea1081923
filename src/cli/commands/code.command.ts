import { InvalidArgumentError, type Command } from 'commander';
import { newCode, parseCodeOrPrefix, shortCode, uuidFromCode } from '../../domain/code.js';
import { printJson } from '../output.js';

const MAX_NEW_CODES = 10_000_000;

export function codeCommand(program: Command): void {
  const code = program
    .command('code')
    .description('make and read codes (random UUID v4, 26-character compact form)');
  code
    .command('new')
    .description('print new codes, one a line')
    .option('-n, --count <n>', 'how many', count, 1)
    .action((flags: { count: number }) => {
      const n = flags.count;
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        lines.push(newCode());
        if (lines.length === 10_000) process.stdout.write(lines.splice(0).join('\n') + '\n');
      }
      if (lines.length) process.stdout.write(lines.join('\n') + '\n');
    });
  code
    .command('parse')
    .description(
      'print the canonical code and UUID of any form of a code (or say why it is not one)',
    )
    .argument('<text>', 'a code in any form: any case, hyphens, UUID, URL ending in a code')
    .option('--json', 'print JSON')
    .action((text: string, flags: { json?: boolean }) => {
      const parsed = parseCodeOrPrefix(text, 'text');
      if (parsed.type === 'prefix') {
        if (flags.json) printJson({ prefix: parsed.prefix });
        else
          console.log(
            `prefix ${parsed.prefix} (${parsed.prefix.length} of 26 characters: use \`tracelot resolve\` to look it up)`,
          );
        return;
      }
      const result = {
        code: parsed.code,
        shortCode: shortCode(parsed.code),
        uuid: uuidFromCode(parsed.code),
      };
      if (flags.json) printJson(result);
      else console.log(`${result.code}\n${result.uuid}`);
    });
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_NEW_CODES) {
    throw new InvalidArgumentError(`must be a whole number from 1 to ${MAX_NEW_CODES}`);
  }
  return n;
}
