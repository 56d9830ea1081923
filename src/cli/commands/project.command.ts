import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { refuseControlCharactersInLines } from '../../domain/control-characters.js';
import { BomFileError, checkBomFileSize, decodeBomFile } from '../../domain/bom-csv.js';
import { stageLabel } from '../../domain/bom-stage.js';
import { importBom } from '../../projects/bom-import.service.js';
import { getBom } from '../../projects/bom.service.js';
import type { Bom, BomImportResult } from '../../projects/project.schemas.js';
import { createProject, getProject, listProjects } from '../../projects/project.service.js';
import {
  cliActor,
  pageOptions,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  showCommand,
  attributeOptions,
  type AttributeFlags,
  type PageFlags,
  pageOf,
} from '../options.js';
import { printFields, printJson, printPage, printTable } from '../output.js';
import { collectField } from '../arguments.js';
import { codeOf } from '../codes.js';
import { approvalLine, bomApprovalCommand } from './bom-approval.command.js';
import { bomStageCommands } from './bom-stage.command.js';

export function projectCommand(program: Command): void {
  const project = program.command('project').description('projects: what builds make, with a BOM');
  withDatabaseOptions(
    attributeOptions(
      project
        .command('add')
        .description('create a project (and a sub-assembly part named after it, unless --part)')
        .argument('<name>')
        .option('--description <text>')
        .option('--notes <text>')
        .option('--part <code>', 'the part its builds produce (default: a new sub_assembly part)'),
    ),
  ).action(
    (
      name: string,
      flags: DatabaseFlags & {
        description?: string;
        notes?: string;
        part?: string;
      } & AttributeFlags,
    ) =>
      withContext(flags, async (ctx) => {
        const created = await createProject(ctx, cliActor(), {
          name,
          description: flags.description,
          notes: flags.notes,
          part: await codeOf(ctx, flags.part, 'part', 'part'),
          tags: flags.tag,
          customFields: flags.field,
        });
        if (flags.json) printJson(created);
        else console.log(`${created.code}  ${created.name}  (part ${created.part.shortCode})`);
      }),
  );
  withDatabaseOptions(
    pageOptions(
      project
        .command('list')
        .description('list and search projects')
        .option('-s, --search <text>', 'match name, description, tag, custom field value or code')
        .option('--tag <tag>', 'only with this tag')
        .option('--archived', 'list archived projects instead'),
    ),
  ).action(
    (
      flags: DatabaseFlags & {
        search?: string;
        tag?: string;
        archived?: boolean;
      } & PageFlags,
    ) =>
      withContext(flags, async (ctx) => {
        const page = await listProjects(ctx, {
          q: flags.search,
          tag: flags.tag,
          archived: flags.archived ? 'true' : 'false',
          ...pageOf(flags),
        });
        if (flags.json) return printJson(page);
        printPage(
          page,
          page.items.map((p) => ({ ...p, part: p.part.name, entries: p.bomEntries })),
          ['shortCode', 'name', 'part', 'entries', 'tags'],
          'projects',
        );
      }),
  );
  showCommand(
    project,
    'a project and its BOM',
    ['<project>', 'code, short code or exact name'],
    async (ctx, ref, json) => {
      const found = await getProject(ctx, await codeOf(ctx, ref, 'project', 'project'));
      const bom = await getBom(ctx, found.code);
      if (json) return printJson({ ...found, bom: bom.entries });
      printFields({
        code: found.code,
        name: found.name,
        description: found.description,
        part: `${found.part.shortCode} ${found.part.name} (${found.part.kind})`,
        archived: found.archived,
        tags: found.tags,
        customFields: found.customFields,
        entries: found.bomEntries,
      });
      console.log('');
      printBom(bom);
    },
  );
}

export function bomCommand(program: Command): void {
  const bom = program.command('bom').description("a project's bill of materials");
  showCommand(
    bom,
    'the BOM of a project',
    ['<project>', 'code, short code or exact name'],
    async (ctx, ref, json) => {
      const found = await getProject(ctx, await codeOf(ctx, ref, 'project', 'project'));
      const entries = await getBom(ctx, found.code);
      if (json) return printJson(entries);
      printBom(entries);
    },
  );
  withDatabaseOptions(
    bom
      .command('import')
      .description(
        'import a BOM file (KiCad BOM exports, or any CSV with --map): replaces the BOM, all or nothing',
      )
      .argument('<project>', 'code, short code or exact name')
      .argument('<file>', 'CSV file (UTF-8; comma, semicolon or tab separated)')
      .option(
        '--map <column=field>',
        'read a column as a field (repeatable): reference, quantity, mpn, manufacturer, value, footprint, description, dnp, stage, comments, part',
        collectField,
      )
      .option('--create-parts', 'create a component part for each line no part matches')
      .option('--dry-run', 'show what the import would do; change nothing')
      .option('--json', 'print JSON'),
  ).action(
    (
      ref: string,
      file: string,
      flags: DatabaseFlags & {
        map?: Record<string, string>;
        createParts?: boolean;
        dryRun?: boolean;
        json?: boolean;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const found = await getProject(ctx, await codeOf(ctx, ref, 'project', 'project'));
        let result: BomImportResult;
        try {
          checkBomFileSize(statSync(file).size);
          const csv = decodeBomFile(readFileSync(file));
          refuseControlCharactersInLines(csv, 'file');
          result = await importBom(
            ctx,
            cliActor(),
            found.code,
            {
              csv,
              mapping: flags.map,
              createParts: flags.createParts ?? false,
              commit: !flags.dryRun,
            },
            { field: 'file' },
          );
        } catch (error) {
          if (!(error instanceof BomFileError)) throw error;
          if (flags.json)
            printJson({ error: { message: error.message, problems: error.problems } });
          else {
            console.error(`error: ${error.message.split(' — ')[0]}`);
            printTable(
              error.problems.map((p) => ({ ...p })),
              ['line', 'message'],
            );
          }
          // A bad file is a usage error (2), like every refused input.
          process.exitCode = 2;
          return;
        }
        if (flags.json) printJson(result);
        else printImport(result);
        // A dry run of a file with bad lines is a bad file too (unmatched lines are not).
        if (result.summary.problems > 0) process.exitCode = 2;
      }),
  );
  bomStageCommands(bom);
  bomApprovalCommand(bom);
}

function printBom(bom: Bom): void {
  console.log(approvalLine(bom));
  const names = new Map(bom.stages.map((s) => [s.stage, s.name]));
  printTable(
    bom.entries.map((e) => ({
      pos: e.position,
      part: e.part.shortCode,
      name: e.part.name,
      mpn: e.part.mpn,
      qty: e.quantity,
      unit: e.part.unit,
      designators: e.designators.join(','),
      stage: stageLabel(e.stage, names.get(e.stage)),
      dnp: e.dnp ? 'DNP' : '',
      substitutes: e.substitutes.map((s) => s.shortCode),
    })),
    ['pos', 'part', 'name', 'mpn', 'qty', 'unit', 'designators', 'stage', 'dnp', 'substitutes'],
    '(empty BOM)',
  );
}

function printImport(result: BomImportResult): void {
  printTable(
    result.lines.map((l) => ({
      line: l.line,
      reference: truncate(l.designators.join(','), 30),
      qty: l.quantity,
      value: truncate(l.value, 20),
      footprint: truncate(l.footprint, 30),
      mpn: truncate(l.mpn, 24),
      part: l.part
        ? `${l.part.shortCode} ${truncate(l.part.name, 24)}`
        : l.newPartName !== null
          ? `(new) ${truncate(l.newPartName, 24)}`
          : '-',
      by: l.matchedBy ?? '',
      dnp: l.dnp ? 'DNP' : '',
      problems: [...l.problems, ...l.warnings.map((w) => `warning: ${w}`)].join('; '),
    })),
    ['line', 'reference', 'qty', 'value', 'footprint', 'mpn', 'part', 'by', 'dnp', 'problems'],
  );
  const s = result.summary;
  console.log('');
  console.log(
    `${s.lines} lines (${result.format}, header on line ${result.headerLine}): ${s.matched} matched, ${s.unmatched} unmatched, ${s.newParts} new part${s.newParts === 1 ? '' : 's'}, ${s.problems} with problems.`,
  );
  if (result.committed)
    console.log(
      `Imported: the BOM has ${result.bom!.entries.length} entries${result.createdParts.length ? `; created ${result.createdParts.length} parts` : ''}.`,
    );
  else if (result.ready)
    console.log('Dry run: nothing changed. Run again without --dry-run to import.');
  else if (s.problems === 0)
    console.log(
      'Nothing changed: lines match no part. Create the parts, or run again with --create-parts.',
    );
  else console.log('Nothing changed: fix the lines with problems.');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
