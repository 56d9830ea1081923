import { InvalidArgumentError, Option, type Command } from 'commander';
import { collect, unitList } from '../arguments.js';
import { cancelBuild, finishBuild, scrapUnit, startBuild } from '../../builds/build.service.js';
import { completeStage } from '../../builds/stage-completion.service.js';
import { reverseCompletion } from '../../builds/completion-reversal.service.js';
import { changeBuildEntry } from '../../builds/build-bom.service.js';
import {
  getBuild,
  getBuildTimeline,
  listBuildUnits,
  listBuilds,
  listConsumed,
  planBuild,
} from '../../builds/build-view.service.js';
import type {
  BomLine,
  Build,
  BuildPlan,
  LotChoice,
  TimelineEvent,
} from '../../builds/build.schemas.js';
import type { Context } from '../../context.js';
import { installUnit, uninstallUnit } from '../../builds/installation.service.js';
import { PICKING, type Picking } from '../../domain/picking.js';
import type { SerialRange } from '../../domain/serial-ranges.js';
import {
  cliActor,
  pageOptions,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  showCommand,
  type PageFlags,
  pageOf,
} from '../options.js';
import { printFields, printJson, printTable } from '../output.js';
import { signerOf, signOptions, type SignFlags } from '../signing.js';
import { codeOf, unitRefsOf } from '../codes.js';
import { wholeNumber } from '../arguments.js';
import { pickListCommand } from './pick-list.command.js';

interface SourcingFlags extends DatabaseFlags {
  picking: Picking;
  exclude?: string[];
  lot?: LotChoice[];
  json?: boolean;
}

function sourcingOptions(command: Command): Command {
  return withDatabaseOptions(
    command
      .addOption(
        new Option('--picking <order>', 'how lots are picked')
          .choices([...PICKING])
          .default('fifo'),
      )
      .option(
        '--exclude <tag>',
        'never pick lots with this tag automatically (repeatable)',
        collect,
      )
      .option('--lot <entry=lot[:qty]>', 'use this lot for a BOM entry (repeatable)', collectLot)
      .option('--json', 'print JSON'),
  );
}

export function buildCommand(program: Command): void {
  const build = program
    .command('build')
    .description('builds: make units of a project, recording exactly which lots went in');
  pickListCommand(build);
  sourcingOptions(
    build
      .command('plan')
      .description('show what a build would use and what is short (changes nothing)')
      .argument('<project>', 'project code')
      .requiredOption('-n, --quantity <n>', 'units to build', wholeNumber)
      .option('--stage <n>', 'plan one stage only', wholeNumber),
  ).action((project: string, flags: SourcingFlags & { quantity: number; stage?: number }) =>
    withContext(flags, async (ctx) => {
      const plan = await planBuild(ctx, {
        project: await codeOf(ctx, project, 'project', 'project'),
        quantity: flags.quantity,
        stage: flags.stage,
        picking: flags.picking,
        excludeTags: flags.exclude ?? [],
        lots: await lotChoices(ctx, flags.lot),
      });
      if (flags.json) return printJson(plan);
      printPlan(plan);
      if (!plan.ok) process.exitCode = 1;
    }),
  );
  sourcingOptions(
    build
      .command('start')
      .description(
        'start a build: its units exist at once, in production (--run: complete and finish too)',
      )
      .argument('<project>', 'project code')
      .requiredOption('-n, --quantity <n>', 'units to build', wholeNumber)
      .requiredOption('--location <code>', 'where the units lie')
      .option('--no-serialize', 'one lot of N instead of one lot per unit')
      .option('--run', 'complete every stage for every unit and finish, all at once')
      .option('--serial-format <format>', 'give every unit a customer serial of this format')
      .option('--notes <text>'),
  ).action(
    (
      project: string,
      flags: SourcingFlags & {
        quantity: number;
        location: string;
        serialize: boolean;
        run?: boolean;
        notes?: string;
        serialFormat?: string;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const started = await startBuild(ctx, cliActor(), {
          project: await codeOf(ctx, project, 'project', 'project'),
          quantity: flags.quantity,
          location: await codeOf(ctx, flags.location, 'location', 'location'),
          serialized: flags.serialize,
          run: flags.run ?? false,
          notes: flags.notes ?? '',
          ...(flags.serialFormat === undefined
            ? {}
            : {
                serialFormat: await codeOf(
                  ctx,
                  flags.serialFormat,
                  'serialFormat',
                  'serial_format',
                ),
              }),
          picking: flags.picking,
          excludeTags: flags.exclude ?? [],
          lots: await lotChoices(ctx, flags.lot),
        });
        if (flags.json) return printJson(started);
        printBuild(started);
      }),
  );
  withDatabaseOptions(
    pageOptions(
      build
        .command('list')
        .description('list builds, newest first')
        .option(
          '--search <text>',
          "part of the project's or product's name or of the notes, or a code",
        )
        .option('--project <code>')
        .addOption(
          new Option('--status <status>').choices(['in_progress', 'finished', 'cancelled']),
        ),
    ),
  ).action(
    (
      flags: DatabaseFlags & {
        search?: string;
        project?: string;
        status?: 'in_progress';
      } & PageFlags,
    ) =>
      withContext(flags, async (ctx) => {
        const page = await listBuilds(ctx, {
          q: flags.search,
          project: await codeOf(ctx, flags.project, 'project', 'project'),
          status: flags.status,
          ...pageOf(flags),
        });
        if (flags.json) return printJson(page);
        printTable(
          page.items.map((b) => ({
            build: b.shortCode,
            project: b.project.name,
            quantity: b.quantity,
            status: b.status,
            created: b.createdAt,
          })),
          ['build', 'project', 'quantity', 'status', 'created'],
          'No builds yet: start one with `tracelot build start PROJECT -n N --location CODE`.',
        );
      }),
  );
  showCommand(
    build,
    'a build, its stages, what it consumed and its timeline (with the notes)',
    ['<build>'],
    async (ctx, code, json) => {
      const found = await getBuild(ctx, await codeOf(ctx, code, 'build', 'build'));
      const consumed = await listConsumed(ctx, found.code);
      const timeline = await getBuildTimeline(ctx, found.code);
      if (json) return printJson({ ...found, consumed, timeline });
      printBuild(found);
      console.log('');
      printTable(
        consumed.map((c) => ({
          stage: c.stage,
          entry: c.entryNo,
          part: c.part.name,
          lot: c.lot.shortCode,
          vendorLot: c.lot.vendorLot,
          quantity: c.quantity,
          units: c.units,
        })),
        ['stage', 'entry', 'part', 'lot', 'vendorLot', 'quantity', 'units'],
        'Nothing consumed yet.',
      );
      console.log('');
      printTable(
        timeline.map((e) => ({ ...e, event: describeEvent(e, found) })),
        ['at', 'actor', 'event', 'note'],
      );
    },
  );
  withDatabaseOptions(
    pageOptions(
      build
        .command('units')
        .description("the build's units: codes, serials, states, stages completed")
        .argument('<build>'),
      '1000',
    ),
  ).action((code: string, flags: DatabaseFlags & {} & PageFlags) =>
    withContext(flags, async (ctx) => {
      const page = await listBuildUnits(ctx, await codeOf(ctx, code, 'build', 'build'), {
        ...pageOf(flags),
      });
      if (flags.json) return printJson(page);
      printTable(
        page.items.map((u) => ({ ...u, stagesCompleted: u.stagesCompleted.join(',') })),
        ['label', 'code', 'state', 'stagesCompleted'],
        'The build has no units (it is not serialized).',
      );
    }),
  );
  sourcingOptions(
    build
      .command('complete')
      .description(
        'complete a stage for some units (default: all that miss it), consuming its entries',
      )
      .argument('<build>')
      .argument('<stage>', 'stage number', wholeNumber)
      .option(
        '--units <list>',
        'serials or unit codes, e.g. 1-60,75 or codes separated by commas',
        unitList,
      )
      .option('--note <text>', "kept with the completion, shown in the build's timeline"),
  ).action(
    (
      code: string,
      stage: number,
      flags: SourcingFlags & { units?: (number | SerialRange | string)[]; note?: string },
    ) =>
      withContext(flags, async (ctx) => {
        const build = await codeOf(ctx, code, 'build', 'build');
        const result = await completeStage(ctx, cliActor(), build, stage, {
          units: await unitRefsOf(ctx, flags.units),
          lots: await lotChoices(ctx, flags.lot),
          picking: flags.picking,
          note: flags.note ?? '',
        });
        if (flags.json) return printJson(result);
        console.log(
          `Stage ${result.stage} completed for ${result.units} unit(s): ${result.serials}`,
        );
        printTable(
          result.consumed.map((c) => ({
            entry: c.entryNo,
            part: c.part.name,
            lot: c.lot.shortCode,
            quantity: c.quantity,
          })),
          ['entry', 'part', 'lot', 'quantity'],
          'Nothing consumed (a documentation stage).',
        );
      }),
  );
  signOptions(
    withDatabaseOptions(
      build
        .command('reverse')
        .description(
          'reverse a stage completion (e.g. the wrong reel): its consumption goes back to stock, its units miss the stage again; then complete the stage again',
        )
        .argument('<build>')
        .argument('<completion>', "the completion's number (build show lists them)", wholeNumber)
        .requiredOption('--reason <text>', 'why; recorded with the reversal')
        .option('--json', 'print JSON'),
    ),
  ).action(
    (
      code: string,
      completion: number,
      flags: DatabaseFlags & SignFlags & { reason: string; json?: boolean },
    ) =>
      withContext(flags, async (ctx) => {
        const build = await codeOf(ctx, code, 'build', 'build');
        const { actor, signature } = await signerOf(ctx, flags);
        const reversed = await reverseCompletion(ctx, actor, build, completion, {
          reason: flags.reason,
          signature,
        });
        if (flags.json) return printJson(reversed);
        console.log(
          `completion ${reversed.completion} (stage ${reversed.stage}, units ${reversed.serials}) reversed: ${reversed.reason}`,
        );
        printTable(
          reversed.returned.map((c) => ({
            entry: c.entryNo,
            part: c.part.name,
            lot: c.lot.shortCode,
            returned: c.quantity,
          })),
          ['entry', 'part', 'lot', 'returned'],
          'Nothing to return (the stage placed no parts).',
        );
      }),
  );
  withDatabaseOptions(
    build
      .command('bom-set')
      .description(
        "change a line of the build's BOM (part, quantity per unit), add one at an unused position, or remove one; only while no completion of its stage counts",
      )
      .argument('<build>')
      .argument('<position>', 'the line (entry number)', wholeNumber)
      .option('--part <code>', 'the part the line takes instead (e.g. a substitute)')
      .option('--quantity <q>', 'per unit built, in the part’s unit')
      .option(
        '--stage <n>',
        "a new line's stage (default 1), or the stage it moves to",
        wholeNumber,
      )
      .option('--remove', 'remove the line')
      .requiredOption('--reason <text>', 'why; recorded in the build’s history')
      .option('--json', 'print JSON'),
  ).action(
    (
      code: string,
      position: number,
      flags: DatabaseFlags & {
        part?: string;
        quantity?: string;
        stage?: number;
        remove?: boolean;
        reason: string;
        json?: boolean;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const entries = await changeBuildEntry(
          ctx,
          cliActor(),
          await codeOf(ctx, code, 'build', 'build'),
          position,
          {
            part: await codeOf(ctx, flags.part, 'part', 'part'),
            quantity: flags.quantity,
            stage: flags.stage,
            remove: flags.remove ?? false,
            reason: flags.reason,
          },
        );
        if (flags.json) return printJson({ entries });
        printTable(
          entries.map((e) => ({
            entry: e.position,
            stage: e.stage,
            part: e.part.name,
            quantity: `${e.quantity} ${e.part.unit}`,
          })),
          ['entry', 'stage', 'part', 'quantity'],
          'The BOM is empty.',
        );
      }),
  );
  withDatabaseOptions(
    build
      .command('scrap')
      .description('scrap a unit (its history stays)')
      .argument('<build>')
      .argument('<unit>')
      .requiredOption('--reason <text>'),
  ).action((code: string, unit: string, flags: DatabaseFlags & { reason: string }) =>
    withContext(flags, async (ctx) => {
      const scrapped = await scrapUnit(
        ctx,
        cliActor(),
        await codeOf(ctx, code, 'build', 'build'),
        await codeOf(ctx, unit, 'unit', 'lot'),
        { reason: flags.reason },
      );
      console.log(`${scrapped.label} (${scrapped.code}) scrapped`);
    }),
  );
  signOptions(
    withDatabaseOptions(
      build
        .command('finish')
        .description('finish: surviving units become available')
        .argument('<build>')
        .option('--allow-incomplete', 'finish although stages are incomplete (needs --note)')
        .option('--note <text>', 'why, when stages are incomplete')
        .option('--override-tests', 'finish although required tests are not passed (needs --note)')
        .option('--json', 'print JSON'),
    ),
  ).action(
    (
      code: string,
      flags: DatabaseFlags &
        SignFlags & {
          allowIncomplete?: boolean;
          overrideTests?: boolean;
          note?: string;
          json?: boolean;
        },
    ) =>
      withContext(flags, async (ctx) => {
        const build = await codeOf(ctx, code, 'build', 'build');
        const { actor, signature } = await signerOf(ctx, flags);
        const done = await finishBuild(ctx, actor, build, {
          allowIncomplete: flags.allowIncomplete ?? false,
          overrideTests: flags.overrideTests ?? false,
          note: flags.note ?? '',
          signature,
        });
        if (flags.json) printJson(done);
        else printBuild(done);
      }),
  );
  withDatabaseOptions(
    build
      .command('cancel')
      .description('cancel a build that consumed nothing')
      .argument('<build>')
      .requiredOption('--reason <text>'),
  ).action((code: string, flags: DatabaseFlags & { reason: string }) =>
    withContext(flags, async (ctx) => {
      const cancelled = await cancelBuild(
        ctx,
        cliActor(),
        await codeOf(ctx, code, 'build', 'build'),
        {
          reason: flags.reason,
        },
      );
      console.log(`build ${cancelled.shortCode} cancelled`);
    }),
  );

  withDatabaseOptions(
    program
      .command('install')
      .description('install a sub-assembly unit into a unit')
      .argument('<child>', 'the unit put in')
      .argument('<parent>', 'the unit it goes into')
      .option('--json', 'print JSON'),
  ).action((child: string, parent: string, flags: DatabaseFlags & { json?: boolean }) =>
    withContext(flags, async (ctx) => {
      const installed = await installUnit(ctx, cliActor(), {
        child: await codeOf(ctx, child, 'child', 'lot'),
        parent: await codeOf(ctx, parent, 'parent', 'lot'),
      });
      if (flags.json) printJson(installed);
      else
        console.log(
          `${installed.child} installed into ${installed.parent} (BOM entry ${installed.entryNo})`,
        );
    }),
  );
  withDatabaseOptions(
    program
      .command('uninstall')
      .description('remove an installed unit (rework, repair)')
      .argument('<child>')
      .requiredOption('--reason <text>')
      .option('--location <code>', "where it goes (default: the parent's location)")
      .option('--json', 'print JSON'),
  ).action(
    (child: string, flags: DatabaseFlags & { reason: string; location?: string; json?: boolean }) =>
      withContext(flags, async (ctx) => {
        const removed = await uninstallUnit(ctx, cliActor(), {
          child: await codeOf(ctx, child, 'child', 'lot'),
          reason: flags.reason,
          location: await codeOf(ctx, flags.location, 'location', 'location'),
        });
        if (flags.json) printJson(removed);
        else
          console.log(`${removed.child} removed from ${removed.parent}: ${removed.removedReason}`);
      }),
  );
}

function printPlan(plan: BuildPlan): void {
  console.log(
    `${plan.quantity} × ${plan.project.name}: ${plan.ok ? 'everything is in stock' : 'SHORT'}`,
  );
  printTable(
    plan.entries.map((e) => ({
      entry: e.entryNo,
      stage: e.stage,
      part: e.part.name,
      need: e.dnp ? 'DNP' : `${e.need} ${e.part.unit}`,
      lots: e.picks.map((p) => `${p.lot.shortCode}×${p.quantity}`).join(' '),
      short: e.short || '',
    })),
    ['entry', 'stage', 'part', 'need', 'lots', 'short'],
    'The BOM is empty.',
  );
}

function printBuild(b: Build): void {
  printFields({
    build: `${b.shortCode} (${b.code})`,
    project: b.project.name,
    quantity: `${b.quantity}${b.serialized ? ' units, one lot each' : ' in one lot'}`,
    status: b.status,
    location: b.location.name,
    stages: b.stages
      .map(
        (s) => `${s.stage}: ${s.completedUnits}/${b.units.total}${s.placesParts ? '' : ' (docs)'}`,
      )
      .join('  '),
    units: `${b.units.inProduction} in production, ${b.units.available} available, ${b.units.held} held, ${b.units.installed} installed, ${b.units.scrapped} scrapped${b.units.rejected ? `, ${b.units.rejected} rejected` : ''}`,
  });
}

/** One line of `build show`'s timeline: what happened, without the note (a column of its own). */
function describeEvent(e: TimelineEvent, b: Build): string {
  switch (e.type) {
    case 'started':
      return `started: ${e.quantity} ${b.serialized ? 'units' : 'in one lot'}`;
    case 'stage_completed': {
      const lots = e.consumed.map((c) => `${c.quantity} ${c.part.name} from ${c.lot.shortCode}`);
      return `${e.reversed ? '[REVERSED] ' : ''}completion ${e.completion}: stage ${e.stage} completed for ${e.units} unit(s) (${e.serials}): ${
        lots.length > 0 ? lots.join('; ') : 'nothing consumed'
      }`;
    }
    case 'completion_reversed':
      return `completion ${e.completion} reversed: stage ${e.stage} undone for ${e.units} unit(s) (${e.serials})`;
    case 'bom_changed':
      return `BOM line ${e.entryNo} ${
        e.before === null ? 'added' : e.after === null ? 'removed' : 'changed'
      }: ${bomLine(e.before)} → ${bomLine(e.after)}`;
    case 'unit_scrapped':
      return `unit ${e.unit.label} scrapped`;
    case 'finished':
      return e.incomplete.length === 0
        ? 'finished'
        : `finished with ${e.incomplete.map((m) => `stage ${m.stage} missing for ${m.units}`).join('; ')}`;
    case 'cancelled':
      return 'cancelled';
    case 'signed':
      return `signed by ${e.actor} (${e.meaning}) for ${e.operation}`;
  }
}

function bomLine(line: BomLine | null): string {
  return line === null ? '—' : `${line.quantity} × ${line.part.name} (stage ${line.stage})`;
}

/** `3=1a2b3c4d` or `3=1a2b3c4d:250`: entry 3 takes lot 1a2b3c4d (250 of it). */
function collectLot(value: string, previous: LotChoice[] = []): LotChoice[] {
  const match = /^(\d+)=([^:]+)(?::(.+))?$/.exec(value.trim());
  if (!match)
    throw new InvalidArgumentError(`expected entry=lot or entry=lot:quantity, got '${value}'`);
  return [
    ...previous,
    { entry: Number(match[1]), lot: match[2]!, ...(match[3] ? { quantity: match[3] } : {}) },
  ];
}

/** The lots chosen with --lot, their codes read like any other (short codes included). */
async function lotChoices(ctx: Context, choices: LotChoice[] = []): Promise<LotChoice[]> {
  const read: LotChoice[] = [];
  for (const choice of choices)
    read.push({ ...choice, lot: await codeOf(ctx, choice.lot, 'lot', 'lot') });
  return read;
}
