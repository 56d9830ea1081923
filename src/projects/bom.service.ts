import { now, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { parseJsonText, toJsonText, type JsonText } from '../db/json-text.js';
import { splitDesignators } from '../domain/bom-csv.js';
import { parseCode, shortCode } from '../domain/code.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { formatQuantity, parseQuantity, toUnits } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { mergeStages, type StageInfo } from '../domain/bom-stage.js';
import {
  findProjectRow,
  isBomRevisionUsed,
  listBomEntryRows,
  listProjectStageRows,
  lockProjectRow,
  replaceBomEntryRows,
  updateProjectRow,
  type BomEntryRow,
  type ProjectRow,
} from './project.repository.js';
import { findPartBriefs } from '../parts/part-brief.repository.js';
import {
  BomEntryCreate,
  BomEntryInput,
  BomEntryUpdate,
  BomReplace,
  BomStageAssign,
  type Bom,
  type BomEntry,
} from './project.schemas.js';
import { getProjectRow, toPartSummary } from './project.service.js';
import { findBomApproval } from './bom-approvals.js';

/** A BOM entry as stored (bom_entry without its key and position). */
export interface BomEntryValues {
  part_code: string;
  /** Per unit built, millionths of the part's unit. */
  quantity: number;
  /** Joined with ", " when stored. */
  designators: string[];
  /** Part codes, in order of preference. */
  substitutes: string[];
  allow_substitutes: number;
  dnp: number;
  stage: number;
  attrition_ppm: number;
  attrition_fixed: number;
  comments: string;
}

/** A project's BOM, entries in position order. */
export async function getBom(ctx: Context, ref: string): Promise<Bom> {
  const project = await getProjectRow(ctx, ref);
  return bomOf(ctx.db, project.code);
}

/**
 * Replaces the whole BOM in one transaction. Every part and substitute must exist, a
 * substitute differ from its entry's part (and share its unit), a designator appear once in
 * the BOM; quantities are exact in the part's unit and above 0 unless the entry is DNP.
 * Records an `updated` event on the project summarising what was added, removed, changed.
 */
export async function replaceBom(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: BomReplace,
): Promise<Bom> {
  const { entries } = parseInput(BomReplace, input);
  return changeBom(ctx, actor, ref, async (db, _current, documentation) =>
    validateEntries(
      db,
      entries,
      entries.map((_, i) => `entries.${i}`),
      documentation,
    ),
  );
}

/** Inserts one entry at `position` (default: the end); later entries move down. */
export async function addBomEntry(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: BomEntryCreate,
): Promise<Bom> {
  const { position, ...entry } = parseInput(BomEntryCreate, input);
  return changeBom(ctx, actor, ref, async (db, current, documentation) => {
    const at = Math.min(position ?? current.length + 1, current.length + 1) - 1;
    const inputs = current.map(toInput);
    inputs.splice(at, 0, entry);
    return validateEntries(
      db,
      inputs,
      inputs.map((_, i) => (i === at ? '' : `entries.${i}`)),
      documentation,
    );
  });
}

/** Changes the entry at `position` (1-based); `position` in the body moves it. */
export async function updateBomEntry(
  ctx: Context,
  actor: Actor,
  ref: string,
  position: number,
  input: BomEntryUpdate,
): Promise<Bom> {
  const { position: to, ...changes } = parseInput(BomEntryUpdate, input);
  return changeBom(ctx, actor, ref, async (db, current, documentation) => {
    const at = entryIndex(current, position);
    const inputs = current.map(toInput);
    const [entry] = inputs.splice(at, 1);
    const defined = Object.fromEntries(
      Object.entries(changes).filter(([, v]) => v !== undefined),
    ) as Partial<BomEntryInput>;
    const target = to === undefined ? at : Math.min(to, current.length) - 1;
    inputs.splice(target, 0, { ...entry!, ...defined });
    return validateEntries(
      db,
      inputs,
      inputs.map((_, i) => (i === target ? '' : `entries.${i}`)),
      documentation,
    );
  });
}

/**
 * Moves the entries at `positions` (1-based) to `stage`, in one change: the way to split a
 * BOM into stages after an import.
 */
export async function assignBomStage(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: BomStageAssign,
): Promise<Bom> {
  const { positions, stage } = parseInput(BomStageAssign, input);
  const seen = new Set<number>();
  positions.forEach((p, i) => {
    if (seen.has(p)) throw new ValidationError(`positions.${i}`, `position ${p} is listed twice`);
    seen.add(p);
  });
  return changeBom(ctx, actor, ref, async (db, current, documentation) => {
    positions.forEach((p, i) => {
      if (p > current.length) {
        throw new NotFoundError(
          'BOM entry',
          String(p),
          `positions.${i}`,
          `the BOM has no entry at position ${p} (it has ${current.length})`,
        );
      }
    });
    if (documentation.has(stage)) throw documentationStage('stage', stage);
    const inputs = current.map((row) =>
      seen.has(row.position) ? { ...toInput(row), stage } : toInput(row),
    );
    return validateEntries(
      db,
      inputs,
      inputs.map((_, i) => `entries.${i}`),
      documentation,
    );
  });
}

function documentationStage(field: string, stage: number): ValidationError {
  return new ValidationError(
    field,
    `stage ${stage} is a documentation stage: it places no parts (choose another stage, or make it a parts stage)`,
  );
}

/** Removes the entry at `position` (1-based); later entries move up. */
export async function removeBomEntry(
  ctx: Context,
  actor: Actor,
  ref: string,
  position: number,
): Promise<Bom> {
  return changeBom(ctx, actor, ref, async (db, current, documentation) => {
    const inputs = current.map(toInput);
    inputs.splice(entryIndex(current, position), 1);
    return validateEntries(
      db,
      inputs,
      inputs.map((_, i) => `entries.${i}`),
      documentation,
    );
  });
}

function entryIndex(current: BomEntryRow[], position: number): number {
  if (!Number.isInteger(position) || position < 1 || position > current.length) {
    throw new NotFoundError(
      'BOM entry',
      String(position),
      'position',
      `the BOM has no entry at position ${position} (it has ${current.length})`,
    );
  }
  return position - 1;
}

/**
 * The one way a BOM changes: locks the project, computes the new entries from the current
 * ones, writes them and records the change; answers the BOM as it is afterwards.
 */
async function changeBom(
  ctx: Context,
  actor: Actor,
  ref: string,
  compute: (
    db: Database,
    current: BomEntryRow[],
    documentation: Set<number>,
  ) => Promise<BomEntryValues[]>,
): Promise<Bom> {
  const code = parseCode(ref, 'code');
  return inTransaction(ctx.db, async (db) => {
    const project = await lockProject(db, code);
    const [current, stages] = await Promise.all([
      listBomEntryRows(db, project.code),
      listProjectStageRows(db, project.code),
    ]);
    const documentation = new Set(stages.filter((s) => s.documentation === 1).map((s) => s.stage));
    const entries = await compute(db, current, documentation);
    await writeBom(db, actor, now(ctx), project, current, entries);
    return bomOf(db, project.code);
  });
}

/** Locks the project's row for the transaction (concurrent BOM changes wait), or NotFound. */
export async function lockProject(db: Database, code: string): Promise<ProjectRow> {
  const project = await lockProjectRow(db, code);
  if (!project) throw new NotFoundError('project', code, 'code');
  return project;
}

/**
 * Writes a project's new entries (under lockProject) and, when anything changed, bumps the
 * project's updated_at and records an `updated` event with a summary. Identical entries:
 * nothing written. Returns whether anything changed.
 */
export async function writeBom(
  db: Database,
  actor: Actor,
  at: string,
  project: ProjectRow,
  current: BomEntryRow[],
  entries: BomEntryValues[],
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const rows = entries.map(toRow);
  const summary = summarize(current, rows);
  if (!summary) return false;
  await replaceBomEntryRows(db, project.code, rows);
  const revision = await nextBomRevision(db, project);
  await updateProjectRow(db, project.code, { updated_at: at, ...revision.set });
  await appendHistory(db, actor, at, [
    {
      subjectCode: project.code,
      type: 'updated',
      data: { bom: { ...summary, ...revision.shown, ...extra } },
    },
  ]);
  return true;
}

/**
 * The revision a change of the BOM (entries or stages) writes, under lockProject: the same
 * while no build used the current revision and nobody approved it, else the next one — so a
 * build's `bom_revision` always names the BOM it copied, and an approval the BOM approved. The project's lock orders this against startBuild.
 */
export async function nextBomRevision(
  db: Database,
  project: ProjectRow,
): Promise<{ set: { bom_revision?: number }; shown: { revision?: { from: number; to: number } } }> {
  const from = project.bom_revision;
  const frozen =
    (await isBomRevisionUsed(db, project.code, from)) ||
    (await findBomApproval(db, project.code, from)) !== undefined;
  if (!frozen) return { set: {}, shown: {} };
  return { set: { bom_revision: from + 1 }, shown: { revision: { from, to: from + 1 } } };
}

type StoredEntry = Omit<BomEntryRow, 'id' | 'project_code' | 'position'>;

function toRow(e: BomEntryValues): StoredEntry {
  return {
    part_code: e.part_code,
    quantity: e.quantity,
    designators: e.designators.join(', '),
    substitutes: toJsonText(e.substitutes),
    allow_substitutes: e.allow_substitutes,
    dnp: e.dnp,
    stage: e.stage,
    attrition_ppm: e.attrition_ppm,
    attrition_fixed: e.attrition_fixed,
    comments: e.comments,
  };
}

const COMPARED = [
  'quantity',
  'designators',
  'substitutes',
  'allow_substitutes',
  'dnp',
  'stage',
  'attrition_ppm',
  'attrition_fixed',
  'comments',
] as const;
type Compared = (typeof COMPARED)[number];
/** A changed column as the history shows it: the API's name and form. */
const SHOWN: Record<Compared, [string, (v: never) => unknown]> = {
  quantity: ['quantity', (v: number) => toUnits(v)],
  designators: ['designators', (v: string) => v],
  substitutes: ['substitutes', (v: JsonText<string[]>) => parseJsonText(v)],
  allow_substitutes: ['allowSubstitutes', (v: number) => v === 1],
  dnp: ['dnp', (v: number) => v === 1],
  stage: ['stage', (v: number) => v],
  attrition_ppm: ['attritionPercent', (v: number) => v / 10_000],
  attrition_fixed: ['attritionFixed', (v: number) => toUnits(v)],
  comments: ['comments', (v: string) => v],
};
/** At most this many entries are listed per kind of change; the counts are always exact. */
const LISTED = 50;

/**
 * What changed between two BOMs, entries paired by part (the n-th entry of a part with the
 * n-th); null when nothing did, position changes included.
 */
function summarize(before: readonly StoredEntry[], after: readonly StoredEntry[]) {
  const key = (rows: readonly StoredEntry[]) => {
    const seen = new Map<string, number>();
    return rows.map((r) => {
      const n = (seen.get(r.part_code) ?? 0) + 1;
      seen.set(r.part_code, n);
      return `${r.part_code}#${n}`;
    });
  };
  const beforeKeys = key(before);
  const afterKeys = key(after);
  const old = new Map(beforeKeys.map((k, i) => [k, before[i]!]));
  const brief = (r: StoredEntry) => ({
    part: r.part_code,
    quantity: toUnits(r.quantity),
    designators: r.designators,
  });
  const added: ReturnType<typeof brief>[] = [];
  const changed: { part: string; changes: Record<string, { from: unknown; to: unknown }> }[] = [];
  afterKeys.forEach((k, i) => {
    const now = after[i]!;
    const was = old.get(k);
    if (!was) return added.push(brief(now));
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const column of COMPARED) {
      if (was[column] === now[column]) continue;
      const [name, show] = SHOWN[column] as [string, (v: unknown) => unknown];
      changes[name] = { from: show(was[column]), to: show(now[column]) };
    }
    if (Object.keys(changes).length > 0) changed.push({ part: now.part_code, changes });
  });
  const afterSet = new Set(afterKeys);
  const removed = beforeKeys.filter((k) => !afterSet.has(k)).map((k) => brief(old.get(k)!));
  const reordered =
    added.length === 0 && removed.length === 0 && beforeKeys.some((k, i) => afterKeys[i] !== k);
  if (added.length + removed.length + changed.length === 0 && !reordered) return null;
  const list = <T>(items: T[]) => ({ count: items.length, items: items.slice(0, LISTED) });
  return {
    entries: { from: before.length, to: after.length },
    added: list(added),
    removed: list(removed),
    changed: list(changed),
    ...(reordered ? { reordered: true } : {}),
  };
}

/** The current entries as inputs again, for single-entry changes. */
function toInput(row: BomEntryRow): BomEntryInput {
  return {
    part: row.part_code,
    quantity: formatQuantity(row.quantity),
    designators: row.designators,
    substitutes: parseJsonText(row.substitutes),
    allowSubstitutes: row.allow_substitutes === 1,
    dnp: row.dnp === 1,
    stage: row.stage,
    comments: row.comments,
    attritionPercent: formatQuantity(row.attrition_ppm * 100),
    attritionFixed: formatQuantity(row.attrition_fixed),
  };
}

/**
 * Checks entries against the database and turns them into stored values. `fields[i]` is
 * how errors name entry i (`entries.3`, or '' for the entry of a single-entry request).
 */
async function validateEntries(
  db: Database,
  inputs: readonly BomEntryInput[],
  fields: readonly string[],
  documentation: ReadonlySet<number>,
): Promise<BomEntryValues[]> {
  const at = (i: number, field: string) => (fields[i] ? `${fields[i]}.${field}` : field);
  const parsed = inputs.map((input, i) => parseInput(BomEntryInput, input, fields[i]));
  const partCodes = parsed.map((e, i) => parseCode(e.part, at(i, 'part')));
  const substituteCodes = parsed.map((e, i) =>
    e.substitutes.map((s, j) => parseCode(s, at(i, `substitutes.${j}`))),
  );
  const parts = await findPartBriefs(db, [...partCodes, ...substituteCodes.flat()]);
  const designatorAt = new Map<string, number>();
  return parsed.map((e, i) => {
    const part = parts.get(partCodes[i]!);
    if (!part) throw new NotFoundError('part', partCodes[i]!, at(i, 'part'));
    const unit = part.unit;
    const seenSubstitutes = new Set<string>();
    substituteCodes[i]!.forEach((code, j) => {
      const field = at(i, `substitutes.${j}`);
      const substitute = parts.get(code);
      if (!substitute) throw new NotFoundError('part', code, field);
      if (code === part.code)
        throw new ValidationError(field, 'is the entry’s part itself, not a substitute');
      if (seenSubstitutes.has(code)) throw new ValidationError(field, `'${code}' is listed twice`);
      if (substitute.unit !== part.unit) {
        throw new ValidationError(
          field,
          `is measured in ${substitute.unit}, the entry’s part in ${part.unit}`,
        );
      }
      seenSubstitutes.add(code);
    });
    if (documentation.has(e.stage)) throw documentationStage(at(i, 'stage'), e.stage);
    const designators = readDesignators(e.designators, at(i, 'designators'));
    for (const d of designators) {
      const key = d.toUpperCase();
      const first = designatorAt.get(key);
      if (first !== undefined) {
        throw new ValidationError(
          at(i, 'designators'),
          `${d} is on entry ${first + 1} and entry ${i + 1} (positions): a designator belongs to one entry`,
        );
      }
      designatorAt.set(key, i);
    }
    return {
      part_code: part.code,
      quantity: parseQuantity(e.quantity, at(i, 'quantity'), {
        unit,
        sign: e.dnp ? 'nonNegative' : 'positive',
      }),
      designators,
      substitutes: substituteCodes[i]!,
      allow_substitutes: e.allowSubstitutes ? 1 : 0,
      dnp: e.dnp ? 1 : 0,
      stage: e.stage,
      attrition_ppm: parseAttritionPercent(e.attritionPercent, at(i, 'attritionPercent')),
      attrition_fixed: parseQuantity(e.attritionFixed, at(i, 'attritionFixed'), {
        unit,
        sign: 'nonNegative',
      }),
      comments: e.comments,
    };
  });
}

function readDesignators(input: string | string[], field: string): string[] {
  const { designators, problems } = splitDesignators(
    typeof input === 'string' ? input : input.join(','),
  );
  if (problems.length > 0)
    throw new ValidationError(field, problems[0]!.replace(/^reference: /, ''));
  return designators;
}

/** A percentage, exact to 0.0001 % (1 ppm): "2.5" → 25000 parts per million. */
export function parseAttritionPercent(input: unknown, field: string): number {
  const micro = parseQuantity(input, field, { unit: 'm', sign: 'nonNegative' });
  if (micro % 100 !== 0) throw new ValidationError(field, 'has more than 4 decimal places');
  if (micro > 100_000_000) throw new ValidationError(field, 'must be at most 100 (percent)');
  return micro / 100;
}

/** The BOM of a project as the API shows it (read again: a change may have raised its revision). */
export async function bomOf(db: Database, projectCode: string): Promise<Bom> {
  const project = await findProjectRow(db, projectCode);
  if (!project) throw new NotFoundError('project', projectCode, 'code');
  const [rows, named, approval] = await Promise.all([
    listBomEntryRows(db, project.code),
    listProjectStageRows(db, project.code),
    findBomApproval(db, project.code, project.bom_revision),
  ]);
  return {
    project: { code: project.code, shortCode: shortCode(project.code), name: project.name },
    revision: project.bom_revision,
    approval: approval ?? null,
    stages: stagesOfBom(named, rows),
    entries: await toBomEntries(db, rows),
  };
}

/** Every stage of a BOM: named ones and those its entries use, with their entry counts. */
export function stagesOfBom(
  named: readonly { stage: number; name: string; documentation: number }[],
  rows: readonly { stage: number }[],
): (StageInfo & { entries: number })[] {
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.stage, (counts.get(r.stage) ?? 0) + 1);
  return mergeStages(
    named.map((s) => ({ stage: s.stage, name: s.name, documentation: s.documentation === 1 })),
    counts.keys(),
  ).map((s) => ({ ...s, entries: counts.get(s.stage) ?? 0 }));
}

/** Stored entries — a project's BOM or a build's copy of it — as the API shows them. */
export async function toBomEntries(
  db: Database,
  rows: (Omit<BomEntryRow, 'id' | 'project_code' | 'comments'> & { comments?: string })[],
): Promise<BomEntry[]> {
  const substitutes = rows.map((r) => parseJsonText(r.substitutes));
  const parts = await findPartBriefs(db, [...rows.map((r) => r.part_code), ...substitutes.flat()]);
  const summary = (code: string) => toPartSummary(parts.get(code)!);
  return rows.map((r, i) => ({
    position: r.position,
    part: summary(r.part_code),
    quantity: toUnits(r.quantity),
    designators: r.designators ? r.designators.split(', ') : [],
    substitutes: substitutes[i]!.map(summary),
    allowSubstitutes: r.allow_substitutes === 1,
    dnp: r.dnp === 1,
    stage: r.stage,
    comments: r.comments ?? '',
    attritionPercent: r.attrition_ppm / 10_000,
    attritionFixed: toUnits(r.attrition_fixed),
  }));
}
