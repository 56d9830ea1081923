import type { Command } from 'commander';
import type { Site } from '../../sites/site.schemas.js';
import { listSites, renameLocalSite } from '../../sites/site.service.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';

type Flags = DatabaseFlags & { json?: boolean };

export function siteCommand(program: Command): void {
  const site = program
    .command('site')
    .description(
      'this instance as a site: its name, id and change-log chain head, and the sites it knows',
    );
  withDatabaseOptions(
    site
      .command('show', { isDefault: true })
      .description('show the sites')
      .option('--json', 'print JSON'),
  ).action((flags: Flags) =>
    withContext(flags, async (ctx) => {
      const sites = await listSites(ctx);
      if (flags.json) return printJson(sites);
      printSites(sites.items);
    }),
  );
  withDatabaseOptions(
    site
      .command('rename')
      .description('name this site (the id never changes; the change is logged)')
      .argument('<name>')
      .option('--json', 'print JSON'),
  ).action((name: string, flags: Flags) =>
    withContext(flags, async (ctx) => {
      const renamed = await renameLocalSite(ctx, cliActor(), { name });
      if (flags.json) return printJson(renamed);
      printSites([renamed]);
    }),
  );
}

function printSites(sites: Site[]): void {
  printTable(
    sites.map((s) => ({
      site: s.local ? `${s.name} (this site)` : s.name,
      id: s.id,
      records: String(s.records),
      head: s.head.hash,
    })),
    ['site', 'id', 'records', 'head'],
  );
}
