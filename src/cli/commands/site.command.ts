import type { Command } from 'commander';
import type { Site } from '../../sites/site.schemas.js';
import { listSites, markRestored, renameLocalSite } from '../../sites/site.service.js';
import { addPeer, listPeers } from '../../sync/peer.service.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printFields, printJson, printTable } from '../output.js';

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
  peerCommands(site);
  withDatabaseOptions(
    site
      .command('restored')
      .description(
        'after restoring a backup of this site, before writing anything: give the site a new id, so the records the backup lacked come back from the other sites by sync (docs/sites.md "Restore")',
      )
      .option('--json', 'print JSON'),
  ).action((flags: Flags) =>
    withContext(flags, async (ctx) => {
      const site = await markRestored(ctx, cliActor());
      if (flags.json) return printJson(site);
      printSites([site]);
      console.log('Now sync with the other sites: `tracelot sync`.');
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

function peerCommands(site: Command): void {
  withDatabaseOptions(
    site
      .command('add')
      .description('add a site to sync with over HTTPS (`tracelot sync NAME` then syncs)')
      .argument('<name>', 'what this site calls the other')
      .requiredOption(
        '--url <url>',
        "the other site's address, e.g. https://tracelot.plant-b.example",
      )
      .requiredOption(
        '--key <key>',
        'an API key of the site role made at the other site (tracelot apikey create --role site)',
      )
      .option('--json', 'print JSON'),
  ).action((name: string, flags: Flags & { url: string; key: string }) =>
    withContext(flags, async (ctx) => {
      const peer = await addPeer(ctx, { name, url: flags.url, key: flags.key });
      if (flags.json) return printJson(peer);
      printFields({ added: `${peer.site.name} (${peer.site.id})`, url: peer.url });
    }),
  );
  withDatabaseOptions(
    site
      .command('peers')
      .description('the sites this one syncs with over HTTPS, and how their last sync went')
      .option('--json', 'print JSON'),
  ).action((flags: Flags) =>
    withContext(flags, async (ctx) => {
      const peers = await listPeers(ctx);
      if (flags.json) return printJson({ items: peers });
      if (peers.length === 0)
        return console.log('No sites to sync with: add one with `tracelot site add`.');
      printTable(
        peers.map((p) => ({
          site: p.site.name,
          url: p.url,
          'last sync': p.lastSyncAt ?? 'never',
          result: !p.lastResult
            ? ''
            : p.lastResult.ok
              ? `sent ${p.lastResult.sent}, received ${p.lastResult.received} records`
              : `failed: ${p.lastResult.error}`,
        })),
        ['site', 'url', 'last sync', 'result'],
      );
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
