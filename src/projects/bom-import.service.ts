import { addAttributes, validateAttributes } from '../attributes/attribute.service.js';
import { now, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { parseJsonText } from '../db/json-text.js';
import {
  BomFileError,
  bomPartName,
  parseBomCsv,
  type BomLineProblem,
  type ParsedBom,
  type ParsedBomLine,
} from '../domain/bom-csv.js';
import { MAX_STAGE, stageNameKey } from '../domain/bom-stage.js';
import { parseCode } from '../domain/code.js';
import { TracelotError } from '../domain/errors.js';
import { QUANTITY_SCALE, toUnits } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { bomOf, lockProject, writeBom, type BomEntryValues } from './bom.service.js';
import {
  findPartBriefs,
  findPartsByMpn,
  findPartsByValueOrName,
  type MatchCandidate,
  type PartBrief,
} from '../parts/part-brief.repository.js';
import { insertParts } from '../parts/part.repository.js';
import {
  insertProjectStages,
  listBomEntryRows,
  listProjectStageRows,
  type BomEntryRow,
  type ProjectStageRow,
} from './project.repository.js';
import {
  BomImportRequest,
  type BomImportLine,
  type BomImportResult,
  type MatchKind,
  type PartSummary,
} from './project.schemas.js';
import { getProjectRow, toPartSummary } from './project.service.js';

/*
 * How a BOM line finds its part (the first rule that applies):
 *
 * 1. A column mapped to `part` holds a Tracelot part code: that part.
 * 2. The line's MPN equals a part's MPN, ignoring case.
 * 3. The line's value and footprint: a part whose custom fields `value` and `footprint` hold
 *    them, or a part named exactly "<value> <footprint>" (the name bom import gives the parts
 *    it creates). Case is ignored, and footprints are compared without KiCad's library
 *    nickname ("Resistor_SMD:R_0603_1608Metric" = "R_0603_1608Metric"). A part with an MPN
 *    other than the line's is not a match: it is another component of the same value.
 *
 * Archived parts never match. Two parts matching one line are a problem of that line (never
 * a guess). A line that matches nothing is reported; with createParts, it gets a new
 * component part with a readable name (value, footprint size, MPN, as bomPartName makes it:
 * "100nF 0402 GRM155R61A104KA01D"), with mpn, manufacturer, description and the custom fields
 * value and footprint filled in. Lines that would create the same part share it.
 */

export interface ImportOptions {
  /** How errors name the text: `csv` (API, default) or `file` (CLI). */
  field?: string;
}

interface NewPart {
  key: string;
  name: string;
  mpn: string;
  manufacturer: string;
  description: string;
  value: string;
  footprint: string;
  code?: string;
}

interface PlannedLine {
  parsed: ParsedBomLine;
  matchedBy: MatchKind | null;
  part: PartBrief | null;
  newPart: NewPart | null;
  problems: string[];
}

interface Plan {
  lines: PlannedLine[];
  newParts: NewPart[];
  /** Stages the file names that the project does not have yet: created by the import. */
  newStages: { stage: number; name: string }[];
}

/**
 * Previews (commit false: nothing changes) or imports (commit true) a BOM file into a
 * project. An import replaces the BOM in one transaction, all or nothing: a line with a
 * problem, or a line no part matches without createParts, refuses the whole file with a
 * BomFileError listing every offending line. Entries keep the substitutes and attrition of
 * the entry the BOM had for the same part (a CAD export knows nothing of them).
 */
export async function importBom(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: BomImportRequest,
  options: ImportOptions = {},
): Promise<BomImportResult> {
  const request = parseInput(BomImportRequest, input);
  const parsed = parseBomCsv(request.csv, { mapping: request.mapping, field: options.field });
  if (!request.commit) {
    const project = await getProjectRow(ctx, ref);
    const plan = await planImport(ctx.db, parsed, request.createParts);
    await planStages(ctx.db, project.code, plan);
    return report(parsed, plan, request.createParts, null);
  }
  const code = parseCode(ref, 'code');
  const at = now(ctx);
  return inTransaction(ctx.db, async (db) => {
    const project = await lockProject(db, code);
    const plan = await planImport(db, parsed, request.createParts);
    await planStages(db, project.code, plan);
    const problems = blockingProblems(plan, request.createParts);
    if (problems.length > 0) {
      const unmatched = problems.filter((p) => p.message.startsWith(NO_MATCH)).length;
      const summary =
        unmatched === problems.length
          ? `${unmatched === 1 ? '1 line matches' : `${unmatched} lines match`} no part, nothing imported`
          : undefined;
      throw new BomFileError(problems, summary, options.field);
    }

    for (const part of plan.newParts) part.code = ctx.newCode();
    await createParts(db, actor, at, plan.newParts, project.code);
    await insertProjectStages(
      db,
      plan.newStages.map((s) => ({ project_code: project.code, ...s, documentation: 0 })),
    );

    const current = await listBomEntryRows(db, project.code);
    const kept = keptSettings(current);
    const entries = plan.lines.map((l): BomEntryValues => {
      const partCode = l.part?.code ?? l.newPart!.code!;
      const settings = kept.get(partCode);
      return {
        part_code: partCode,
        quantity: l.parsed.quantity!,
        designators: l.parsed.designators,
        substitutes: settings?.substitutes ?? [],
        allow_substitutes: settings?.allow_substitutes ?? 1,
        dnp: l.parsed.dnp ? 1 : 0,
        stage: l.parsed.stage,
        attrition_ppm: settings?.attrition_ppm ?? 0,
        attrition_fixed: settings?.attrition_fixed ?? 0,
        comments: l.parsed.comments,
      };
    });
    const extra = {
      source: 'import',
      lines: plan.lines.length,
      createdParts: plan.newParts.length,
      ...(plan.newStages.length > 0 ? { createdStages: plan.newStages } : {}),
    };
    const changed = await writeBom(db, actor, at, project, current, entries, extra);
    // New stages with entries that did not change (possible only in theory) are still recorded.
    if (!changed && plan.newStages.length > 0) {
      await appendHistory(db, actor, at, [
        {
          subjectCode: project.code,
          type: 'updated',
          data: { stages: { created: plan.newStages } },
        },
      ]);
    }
    return report(parsed, plan, request.createParts, await bomOf(db, project.code));
  });
}

/** Substitutes and attrition of the first entry of each part: what an import keeps. */
function keptSettings(current: BomEntryRow[]) {
  const out = new Map<
    string,
    Pick<BomEntryValues, 'substitutes' | 'allow_substitutes' | 'attrition_ppm' | 'attrition_fixed'>
  >();
  for (const row of current) {
    if (out.has(row.part_code)) continue;
    out.set(row.part_code, {
      substitutes: parseJsonText(row.substitutes),
      allow_substitutes: row.allow_substitutes,
      attrition_ppm: row.attrition_ppm,
      attrition_fixed: row.attrition_fixed,
    });
  }
  return out;
}

async function planImport(db: Database, parsed: ParsedBom, createParts: boolean): Promise<Plan> {
  const lines: PlannedLine[] = parsed.lines.map((l) => ({
    parsed: l,
    matchedBy: null,
    part: null,
    newPart: null,
    problems: [...l.problems],
  }));

  // 1. A part code column.
  const explicit = new Map<PlannedLine, string>();
  for (const l of lines) {
    if (!l.parsed.part) continue;
    try {
      explicit.set(l, parseCode(l.parsed.part, 'part'));
    } catch (error) {
      if (!(error instanceof TracelotError)) throw error;
      l.problems.push(error.message);
    }
  }
  const byCode = await findPartBriefs(db, [...explicit.values()]);
  for (const [l, code] of explicit) {
    const part = byCode.get(code);
    if (part) match(l, 'part', part);
    else l.problems.push(`part: no part has the code '${code}'`);
  }
  const open = () => lines.filter((l) => !l.part && !l.parsed.part);

  // 2. MPN.
  const withMpn = open().filter((l) => l.parsed.mpn !== '');
  const byMpn = groupByLower(
    await findPartsByMpn(
      db,
      withMpn.map((l) => l.parsed.mpn),
    ),
    (p) => p.mpn,
  );
  for (const l of withMpn) {
    const candidates = byMpn.get(l.parsed.mpn.toLowerCase()) ?? [];
    if (candidates.length === 1) match(l, 'mpn', candidates[0]!);
    else if (candidates.length > 1) l.problems.push(ambiguity(`MPN '${l.parsed.mpn}'`, candidates));
  }

  // 3. Value and footprint.
  const withValue = open().filter(
    (l) => l.parsed.value !== '' && l.parsed.footprint !== '' && !isAmbiguous(l),
  );
  const candidates = await findPartsByValueOrName(
    db,
    withValue.map((l) => l.parsed.value),
    withValue.flatMap((l) => partNames(l.parsed)),
  );
  for (const l of withValue) {
    const found = candidates.filter((c) => matchesValueAndFootprint(c, l.parsed));
    if (found.length === 1) match(l, 'value_footprint', found[0]!);
    else if (found.length > 1)
      l.problems.push(
        ambiguity(`value '${l.parsed.value}' and footprint '${l.parsed.footprint}'`, found),
      );
  }

  // Parts to create for the rest.
  const newParts = new Map<string, NewPart>();
  if (createParts) {
    for (const l of open()) {
      if (isAmbiguous(l)) continue;
      const p = l.parsed;
      const footprintName = nameOfFootprint(p.footprint);
      if (!p.mpn && !(p.value && p.footprint)) {
        l.problems.push(
          'matches no part, and a new part needs an MPN, or a value and a footprint, to be named',
        );
        continue;
      }
      const key = p.mpn
        ? `mpn:${p.mpn.toLowerCase()}`
        : `vf:${p.value.toLowerCase()}|${footprintName.toLowerCase()}`;
      let part = newParts.get(key);
      if (!part) {
        part = {
          key,
          name: bomPartName(p.value, p.footprint, p.mpn),
          mpn: p.mpn,
          manufacturer: p.manufacturer,
          description: p.description,
          value: p.value,
          footprint: p.footprint,
        };
        if (part.name.length > 200) {
          l.problems.push(`a new part's name must be at most 200 characters: '${part.name}'`);
          continue;
        }
        newParts.set(key, part);
      }
      part.manufacturer ||= p.manufacturer;
      part.description ||= p.description;
      l.matchedBy = 'new';
      l.newPart = part;
    }
  }

  // Quantities of counted parts are whole (new parts are counted in pieces).
  for (const l of lines) {
    const q = l.parsed.quantity;
    const unit = l.part ? l.part.unit : l.newPart ? 'pcs' : undefined;
    if (q !== null && unit === 'pcs' && q % QUANTITY_SCALE !== 0) {
      const name = l.part?.name ?? l.newPart!.name;
      l.problems.push(`quantity: must be a whole number: the part '${name}' is counted in pieces`);
    }
  }
  return { lines, newParts: [...newParts.values()], newStages: [] };
}

/**
 * Gives every line its stage number: a number as written, a name the project's stage of that
 * name (ignoring case), or a new stage numbered after every stage the project and the file
 * use, in the order the file first names them. A line on a documentation stage is a problem.
 */
async function planStages(db: Database, projectCode: string, plan: Plan): Promise<void> {
  const [named, current] = await Promise.all([
    listProjectStageRows(db, projectCode),
    listBomEntryRows(db, projectCode),
  ]);
  const byName = new Map<
    string,
    ProjectStageRow | { stage: number; name: string; documentation: 0 }
  >(named.map((s) => [stageNameKey(s.name), s]));
  const documentation = new Set(named.filter((s) => s.documentation === 1).map((s) => s.stage));
  let last = Math.max(
    0,
    ...named.map((s) => s.stage),
    ...current.map((e) => e.stage),
    ...plan.lines.map((l) => l.parsed.stage),
  );
  for (const l of plan.lines) {
    const name = l.parsed.stageName;
    if (name) {
      let stage = byName.get(stageNameKey(name));
      if (!stage) {
        if (last >= MAX_STAGE) {
          l.problems.push(`stage: no stage number is left for a new stage '${name}'`);
          continue;
        }
        stage = { stage: ++last, name, documentation: 0 };
        byName.set(stageNameKey(name), stage);
        plan.newStages.push({ stage: stage.stage, name });
      }
      l.parsed.stage = stage.stage;
    }
    if (documentation.has(l.parsed.stage)) {
      l.problems.push(
        `stage: stage ${l.parsed.stage} is a documentation stage, which places no parts`,
      );
    }
  }
}

function match(l: PlannedLine, by: MatchKind, part: PartBrief): void {
  l.matchedBy = by;
  l.part = part;
}

const AMBIGUOUS = 'parts match';
function isAmbiguous(l: PlannedLine): boolean {
  return l.problems.some((p) => p.includes(AMBIGUOUS));
}

function ambiguity(what: string, parts: PartBrief[]): string {
  const listed = parts
    .slice(0, 5)
    .map((p) => `${p.code.slice(0, 8)} '${p.name}'`)
    .join(', ');
  return `${parts.length} ${AMBIGUOUS} ${what}: ${listed} — never a guess: map a column to 'part' with the part's code, or archive the wrong part`;
}

function groupByLower<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item).toLowerCase();
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

/** KiCad footprints are `<library>:<name>`: the name alone identifies the land pattern. */
function nameOfFootprint(footprint: string): string {
  return footprint.slice(footprint.lastIndexOf(':') + 1).trim();
}

/** The names under which a part for this line may exist ("<value> <footprint>"). */
function partNames(p: ParsedBomLine): string[] {
  return [`${p.value} ${p.footprint}`, `${p.value} ${nameOfFootprint(p.footprint)}`];
}

function matchesValueAndFootprint(c: MatchCandidate, p: ParsedBomLine): boolean {
  if (c.mpn !== '' && p.mpn !== '' && c.mpn.toLowerCase() !== p.mpn.toLowerCase()) return false;
  const byFields =
    c.value.trim().toLowerCase() === p.value.toLowerCase() &&
    c.footprint !== '' &&
    nameOfFootprint(c.footprint).toLowerCase() === nameOfFootprint(p.footprint).toLowerCase();
  const name = c.name.toLowerCase();
  return byFields || partNames(p).some((n) => n.toLowerCase() === name);
}

const NO_MATCH = 'no part matches';

function blockingProblems(plan: Plan, createParts: boolean): BomLineProblem[] {
  const problems: BomLineProblem[] = [];
  for (const l of plan.lines) {
    for (const message of l.problems) problems.push({ line: l.parsed.line, message });
    if (!l.part && !l.newPart && l.problems.length === 0 && !createParts) {
      problems.push({
        line: l.parsed.line,
        message: `${NO_MATCH} (${describeLine(l.parsed)}): create it, or import with createParts (--create-parts)`,
      });
    }
  }
  return problems;
}

function describeLine(p: ParsedBomLine): string {
  const facts = [
    p.mpn && `MPN '${p.mpn}'`,
    p.value && `value '${p.value}'`,
    p.footprint && `footprint '${p.footprint}'`,
  ].filter(Boolean);
  return facts.length ? facts.join(', ') : 'no MPN, value or footprint';
}

async function createParts(
  db: Database,
  actor: Actor,
  at: string,
  parts: NewPart[],
  projectCode: string,
): Promise<void> {
  if (parts.length === 0) return;
  await insertParts(
    db,
    parts.map((p) => ({
      code: p.code!,
      name: p.name,
      description: p.description,
      manufacturer: p.manufacturer,
      mpn: p.mpn,
      kind: 'component',
      unit: 'pcs',
      archived: 0,
      created_at: at,
      updated_at: at,
    })),
  );
  await addAttributes(
    db,
    parts.map((p) => ({
      code: p.code!,
      ...validateAttributes({
        customFields: {
          ...(p.value ? { value: p.value } : {}),
          ...(p.footprint ? { footprint: p.footprint } : {}),
        },
      }),
    })),
  );
  await appendHistory(
    db,
    actor,
    at,
    parts.map((p) => ({
      subjectCode: p.code!,
      type: 'created' as const,
      data: { name: p.name, source: 'bom_import', project: projectCode },
    })),
  );
}

function report(
  parsed: ParsedBom,
  plan: Plan,
  createParts: boolean,
  bom: BomImportResult['bom'],
): BomImportResult {
  const committed = bom !== null;
  const summaryOf = (l: PlannedLine): PartSummary | null => {
    if (l.part) return toPartSummary(l.part);
    if (committed && l.newPart)
      return toPartSummary({ ...l.newPart, code: l.newPart.code!, unit: 'pcs', kind: 'component' });
    return null;
  };
  const lines = plan.lines.map((l): BomImportLine => ({
    line: l.parsed.line,
    designators: l.parsed.designators,
    quantity: l.parsed.quantity === null ? null : toUnits(l.parsed.quantity),
    value: l.parsed.value,
    footprint: l.parsed.footprint,
    mpn: l.parsed.mpn,
    manufacturer: l.parsed.manufacturer,
    description: l.parsed.description,
    dnp: l.parsed.dnp,
    stage: l.parsed.stage,
    stageName: l.parsed.stageName,
    comments: l.parsed.comments,
    matchedBy: l.matchedBy,
    part: summaryOf(l),
    newPartName: l.newPart?.name ?? null,
    problems: l.problems,
    warnings: l.parsed.warnings,
  }));
  const unmatched = plan.lines.filter((l) => !l.part);
  return {
    committed,
    ready: blockingProblems(plan, createParts).length === 0,
    format: parsed.format,
    delimiter: parsed.delimiter,
    headerLine: parsed.headerLine,
    columns: parsed.columns as Record<string, string>,
    ignoredColumns: parsed.ignoredColumns,
    lines,
    unmatched: unmatched.map((l) => ({
      line: l.parsed.line,
      reference: l.parsed.designators.join(', '),
      value: l.parsed.value,
      footprint: l.parsed.footprint,
      mpn: l.parsed.mpn,
    })),
    summary: {
      lines: lines.length,
      matched: lines.length - unmatched.length,
      unmatched: unmatched.length,
      newParts: plan.newParts.length,
      problems: plan.lines.filter((l) => l.problems.length > 0).length,
    },
    createdParts: committed
      ? plan.newParts.map((p) =>
          toPartSummary({ ...p, code: p.code!, unit: 'pcs', kind: 'component' }),
        )
      : [],
    bom,
  };
}
