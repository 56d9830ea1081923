import type { Command } from 'commander';
import { createContext } from '../../context.js';
import { openDatabase } from '../../db/database.js';

export function openapiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI document of the REST API')
    .action(async () => {
      // The document comes from the route schemas; the database is never queried.
      const { buildApp } = await import('../../http/app.js');
      const handle = openDatabase({ url: ':memory:' });
      const app = await buildApp({ ctx: createContext(handle.db), printSender: false });
      await app.ready();
      console.log(JSON.stringify(app.swagger(), null, 2));
      await app.close();
      await handle.close();
    });
}
