import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { toJsonText } from '../db/json-text.js';
import { parseCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { parseQuantity, toUnits } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { partUnits } from '../parts/part.repository.js';
import type { BomEntry } from '../projects/project.schemas.js';
import {
  deleteBuildEntry,
  insertBuildEntries,
  listBuildEntries,
  listCompletions,
  updateBuildEntry,
  type BuildEntryRow,
  type BuildRow,
} from './build.repository.js';
import { BuildEntryChange, type BomLine } from './build.schemas.js';
import { listBuildBom } from './build-view.service.js';
import { lockBuild } from './stage-completion.service.js';

/**
 * Changes one line of a build's BOM copy while the build is in progress: its part (a substitute)
 * and/or quantity per unit, a new line at an unused position, or the line removed; with a
 * reason, recorded in the build's history with the line before and after. Only while no
 * completion of the line's stage counts (none, or all reversed): the units that completed the
 * stage would otherwise hold a line they never received. Answers the build's BOM after it.
 */
export async function changeBuildEntry(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  position: number,
  input: BuildEntryChange,
): Promise<BomEntry[]> {
  const data = parseInput(BuildEntryChange, input);
  if (!Number.isInteger(position) || position < 1)
    throw new ValidationError('position', 'must be a whole number from 1');
  const changes =
    data.part !== undefined || data.quantity !== undefined || data.stage !== undefined;
  if (data.remove && changes)
    throw new ValidationError(
      'remove',
      'removes the line: give no part, quantity or stage with it',
    );
  if (!data.remove && !changes)
    throw new ValidationError('part', 'say what changes: part, quantity, stage, or remove');
  const partCode = data.part === undefined ? undefined : parseCode(data.part, 'part');
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const build = await lockBuild(withDb(ctx, db), buildRef, at);
    const entry = (await listBuildEntries(db, build.code)).find((e) => e.entry_no === position);
    if (!entry && data.remove) throw new NotFoundError('entry', String(position), 'position');
    if (!entry && (partCode === undefined || data.quantity === undefined)) {
      throw new ValidationError(
        partCode === undefined ? 'part' : 'quantity',
        `the build has no line ${position}: a new line needs a part and a quantity per unit`,
      );
    }
    const part = partCode ?? entry!.part_code;
    const units = await partUnits(db, [...new Set([part, ...(entry ? [entry.part_code] : [])])]);
    const unit = units.get(part);
    if (!unit) throw new NotFoundError('part', part, 'part');
    if (entry && data.quantity === undefined && unit.unit !== units.get(entry.part_code)!.unit) {
      throw new ValidationError(
        'quantity',
        `the new part is measured in ${unit.unit}, the line's in ${units.get(entry.part_code)!.unit}: give the quantity per unit`,
      );
    }
    const after =
      data.remove || !entry
        ? undefined
        : {
            part_code: part,
            quantity:
              data.quantity === undefined
                ? Number(entry.quantity)
                : parseQuantity(data.quantity, 'quantity', { unit: unit.unit, sign: 'positive' }),
            stage: data.stage ?? entry.stage,
          };
    const added = entry
      ? undefined
      : {
          part_code: part,
          quantity: parseQuantity(data.quantity, 'quantity', { unit: unit.unit, sign: 'positive' }),
          stage: data.stage ?? 1,
        };
    const next = after ?? added;
    if (
      entry &&
      next &&
      next.part_code === entry.part_code &&
      next.quantity === Number(entry.quantity) &&
      next.stage === entry.stage
    )
      throw new ValidationError('part', `line ${position} is like this already`);
    await refuseCountedStages(db, build, [entry?.stage, next?.stage]);
    if (!entry) {
      await insertBuildEntries(db, [newLine(build.code, position, added!)]);
    } else if (!next) {
      await deleteBuildEntry(db, build.code, position);
    } else {
      await updateBuildEntry(db, build.code, position, next);
    }
    const names = await partUnits(db, [
      ...new Set([...(entry ? [entry.part_code] : []), ...(next ? [next.part_code] : [])]),
    ]);
    const line = (l: Pick<BuildEntryRow, 'part_code' | 'quantity' | 'stage'>): BomLine => ({
      part: { code: l.part_code, name: names.get(l.part_code)?.name ?? '' },
      quantity: toUnits(Number(l.quantity)),
      stage: l.stage,
    });
    await appendHistory(db, actor, at, [
      {
        subjectCode: build.code,
        type: 'build_bom_changed',
        data: {
          entryNo: position,
          before: entry ? line(entry) : null,
          after: next ? line(next) : null,
          reason: data.reason,
        },
      },
    ]);
    return build.code;
  });
  return listBuildBom(ctx, code);
}

/**
 * A line changes only while no completion of its stage (before or after the change) counts:
 * each unit that completed the stage received the lines as they were, and the genealogy reads
 * the completion's consumption as the whole stage.
 */
async function refuseCountedStages(
  db: Database,
  build: BuildRow,
  stages: (number | undefined)[],
): Promise<void> {
  const touched = new Set(stages.filter((s) => s !== undefined));
  const counted = (await listCompletions(db, build.code)).filter((c) => touched.has(c.stage));
  if (counted.length === 0) return;
  const stage = counted[0]!.stage;
  throw new ConflictError(
    `stage ${stage} has completions that count (${counted
      .filter((c) => c.stage === stage)
      .map((c) => c.id)
      .join(', ')}): reverse them before changing its lines`,
    'position',
  );
}

function newLine(
  build: string,
  entryNo: number,
  line: { part_code: string; quantity: number; stage: number },
): BuildEntryRow {
  return {
    build_code: build,
    entry_no: entryNo,
    ...line,
    designators: '',
    substitutes: toJsonText([]),
    allow_substitutes: 1,
    dnp: 0,
    attrition_ppm: 0,
    attrition_fixed: 0,
  };
}
