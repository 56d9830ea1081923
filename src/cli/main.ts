import { Command, CommanderError } from 'commander';
import { isTransactionCollision } from '../db/errors.js';
import { refuseControlCharacters } from '../domain/control-characters.js';
import { AmbiguousCodeError, BusyError, NotFoundError, TracelotError } from '../domain/errors.js';
import { VERSION } from '../version.js';
import { attachmentCommands } from './commands/attachment.command.js';
import { auditCommand } from './commands/audit.command.js';
import { settingsCommand } from './commands/settings.command.js';
import { siteCommand } from './commands/site.command.js';
import { syncCommand } from './commands/sync.command.js';
import { printerCommand } from './commands/printer.command.js';
import { backupCommand } from './commands/backup.command.js';
import { filesCommand } from './commands/files.command.js';
import { buildCommand } from './commands/build.command.js';
import { codeCommand } from './commands/code.command.js';
import { demoCommand } from './commands/demo.command.js';
import { dhrCommand } from './commands/dhr.command.js';
import { lotCommand } from './commands/lot.command.js';
import { labelCommand } from './commands/label.command.js';
import { checkCommand } from './commands/check.command.js';
import { openapiCommand } from './commands/openapi.command.js';
import { resolveCommand, scanCommand } from './commands/resolve.command.js';
import { locationCommand } from './commands/location.command.js';
import { partCommand } from './commands/part.command.js';
import { bomCommand, projectCommand } from './commands/project.command.js';
import { serialCommand, serialFormatCommand } from './commands/serial.command.js';
import { serveCommand } from './commands/serve.command.js';
import { shipCommand, shipmentCommand } from './commands/shipment.command.js';
import { receiveCommand } from './commands/receive.command.js';
import { stockCommand } from './commands/stock.command.js';
import { testCommand } from './commands/test.command.js';
import { traceCommands } from './commands/trace.command.js';
import { transferCommands } from './commands/transfer.command.js';
import { unitCommand } from './commands/unit.command.js';
import { apiKeyCommand, userCommand } from './commands/user.command.js';
import { webhookCommand } from './commands/webhook.command.js';

const program = new Command()
  .name('tracelot')
  .description('Traceability for hardware makers: every device is its own lot of quantity one.')
  .version(VERSION)
  .showHelpAfterError('(add --help for usage)')
  .exitOverride()
  // Every argument and option value, as the API's validator does for requests; scanned text
  // keeps the separators barcodes carry.
  .hook('preAction', (_program, command) => {
    const scanned = ['scan', 'resolve'].includes(command.name());
    const args = Object.fromEntries(
      command.registeredArguments.map((a, i) => [a.name(), command.processedArgs[i]]),
    );
    refuseControlCharacters({ ...command.opts(), ...args }, '', () => scanned);
  });

serveCommand(program);
codeCommand(program);
partCommand(program);
locationCommand(program);
stockCommand(program);
receiveCommand(program);
lotCommand(program);
buildCommand(program);
serialFormatCommand(program);
serialCommand(program);
attachmentCommands(program);
projectCommand(program);
bomCommand(program);
traceCommands(program);
dhrCommand(program);
shipCommand(program);
shipmentCommand(program);
unitCommand(program);
testCommand(program);
resolveCommand(program);
scanCommand(program);
labelCommand(program);
checkCommand(program);
demoCommand(program);
auditCommand(program);
settingsCommand(program);
siteCommand(program);
syncCommand(program);
printerCommand(program);
backupCommand(program);
transferCommands(program);
userCommand(program);
apiKeyCommand(program);
webhookCommand(program);
openapiCommand(program);
filesCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (thrown) {
  const error = isTransactionCollision(thrown) ? new BusyError() : thrown;
  // Help and --version end with 0; a wrong command, option or argument is bad input like any other.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  if (error instanceof TracelotError) {
    console.error(`error: ${error.message}`);
    if (error instanceof AmbiguousCodeError)
      for (const c of error.candidates) console.error(`  ${c.code}  ${c.kind}  ${c.name}`);
    // A well-formed reference that names nothing is a negative answer, not bad input.
    process.exit(error instanceof NotFoundError ? 1 : 2);
  }
  console.error(error);
  process.exit(1);
}
