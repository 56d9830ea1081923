import { InvalidArgumentError, type Command } from 'commander';
import { stageLabel } from '../../domain/bom-stage.js';
import { addStage, updateStage } from '../../projects/bom-stage.service.js';
import { assignBomStage, getBom } from '../../projects/bom.service.js';
import type { Bom } from '../../projects/project.schemas.js';
import type { Context } from '../../context.js';
import { codeOf } from '../codes.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';

type Flags = DatabaseFlags & { json?: boolean };

/** `tracelot bom stages | stage-add | stage-rename | set-stage`: a BOM's named stages. */
export function bomStageCommands(bom: Command): void {
  withDatabaseOptions(
    bom
      .command('stages')
      .description("a project's stages: number, name, documentation only, BOM lines")
      .argument('<project>', 'code, short code or exact name')
      .option('--json', 'print JSON'),
  ).action((ref: string, flags: Flags) =>
    withContext(flags, async (ctx) => {
      printStages(await getBom(ctx, await projectOf(ctx, ref)), flags);
    }),
  );

  withDatabaseOptions(
    bom
      .command('stage-add')
      .description('add a named stage (default: after the last one)')
      .argument('<project>', 'code, short code or exact name')
      .argument('<name>', 'e.g. "Hand solder"')
      .option('--stage <n>', 'its number', stageNumber)
      .option('--documentation', 'the stage places no parts (a test, a label, paperwork)')
      .option('--json', 'print JSON'),
  ).action(
    (ref: string, name: string, flags: Flags & { stage?: number; documentation?: boolean }) =>
      withContext(flags, async (ctx) => {
        const project = await projectOf(ctx, ref);
        const bom = await addStage(ctx, cliActor(), project, {
          name,
          stage: flags.stage,
          documentation: flags.documentation ?? false,
        });
        printStages(bom, flags);
      }),
  );

  withDatabaseOptions(
    bom
      .command('stage-rename')
      .description('rename a stage (or name a stage only BOM lines use)')
      .argument('<project>', 'code, short code or exact name')
      .argument('<stage>', 'stage number', stageNumber)
      .argument('<name>', 'its new name')
      .option('--json', 'print JSON'),
  ).action((ref: string, stage: number, name: string, flags: Flags) =>
    withContext(flags, async (ctx) => {
      const bom = await updateStage(ctx, cliActor(), await projectOf(ctx, ref), stage, { name });
      printStages(bom, flags);
    }),
  );

  withDatabaseOptions(
    bom
      .command('set-stage')
      .description('put BOM lines on a stage, all in one change')
      .argument('<project>', 'code, short code or exact name')
      .argument('<stage>', 'stage number', stageNumber)
      .argument('<lines>', 'BOM positions, e.g. 1,3,5-7', positionList)
      .option('--json', 'print JSON'),
  ).action((ref: string, stage: number, positions: number[], flags: Flags) =>
    withContext(flags, async (ctx) => {
      const project = await projectOf(ctx, ref);
      const bom = await assignBomStage(ctx, cliActor(), project, { positions, stage });
      if (flags.json) return printJson(bom);
      const names = new Map(bom.stages.map((s) => [s.stage, s.name]));
      console.log(
        `${positions.length} line(s) now on ${stageLabel(stage, names.get(stage))}; BOM revision ${bom.revision}.`,
      );
    }),
  );
}

async function projectOf(ctx: Context, ref: string): Promise<string> {
  return codeOf(ctx, ref, 'project', 'project');
}

function printStages(bom: Bom, flags: { json?: boolean }): void {
  if (flags.json) return printJson({ revision: bom.revision, stages: bom.stages });
  printTable(
    bom.stages.map((s) => ({
      stage: s.stage,
      name: s.name || '(unnamed)',
      documentation: s.documentation ? 'yes' : '',
      lines: s.entries,
    })),
    ['stage', 'name', 'documentation', 'lines'],
    '(no stages: every line is on stage 1)',
  );
  console.log(`\nBOM revision ${bom.revision}.`);
}

function stageNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 1000)
    throw new InvalidArgumentError('must be a stage number from 1 to 1000');
  return n;
}

/** `1,3,5-7` → [1, 3, 5, 6, 7]; at most 5,000 positions. */
function positionList(value: string): number[] {
  const out: number[] = [];
  for (const part of value.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!range) throw new InvalidArgumentError(`'${part.trim()}' is not a position or a range`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (from < 1 || to < from || to - from >= 5_000)
      throw new InvalidArgumentError(`'${part.trim()}' is not a range of positions from 1`);
    for (let n = from; n <= to; n++) out.push(n);
    if (out.length > 5_000) throw new InvalidArgumentError('at most 5,000 positions');
  }
  return out;
}
