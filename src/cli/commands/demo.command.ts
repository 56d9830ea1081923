import type { Command } from 'commander';
import { loadDemo } from '../../demo/demo.service.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printFields, printJson, progress, progressDone } from '../output.js';

export function demoCommand(program: Command): void {
  withDatabaseOptions(
    program
      .command('demo')
      .description(
        'fill an empty instance with a small company: KiCad BOMs, reels, builds, tests, a shipment, a return and a repair',
      )
      .option('--json', 'print what was made as JSON'),
  ).action((flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const summary = await loadDemo(ctx, cliActor(), (step) => progress(`demo: ${step}…`));
      progressDone();
      if (flags.json) return printJson(summary);
      printFields({
        parts: summary.parts,
        lots: summary.lots,
        'power module project': summary.projects.powerModule,
        'sensor node project': summary.projects.sensorNode,
        'finished build': summary.builds.finished,
        'build in progress': summary.builds.inProgress,
        shipment: summary.shipment,
        'returned and repaired unit': summary.returnedUnit,
      });
      console.log('Open the web UI (tracelot serve) and start from Builds or scan a code.');
    }),
  );
}
