import { Command, CommanderError } from 'commander';
import { TracelotError } from '../domain/errors.js';
import { VERSION } from '../http/app.js';
import { serveCommand } from './commands/serve.command.js';

const program = new Command()
  .name('tracelot')
  .description('Traceability for hardware makers: every device is its own lot of quantity one.')
  .version(VERSION)
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

serveCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof TracelotError) {
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}
