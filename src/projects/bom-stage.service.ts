import { now, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { MAX_STAGE, MAX_STAGES, stageNameKey } from '../domain/bom-stage.js';
import { parseCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { bomOf, lockProject, nextBomRevision, stagesOfBom } from './bom.service.js';
import {
  insertProjectStages,
  listBomEntryRows,
  listProjectStageRows,
  updateProjectRow,
  updateProjectStage,
  type ProjectRow,
} from './project.repository.js';
import { StageCreate, StageUpdate, type Bom } from './project.schemas.js';

/*
 * Named stages of a project's BOM. A stage is a number (the key entries and completions use)
 * with a name, unique in the project ignoring case, and a documentation flag: a documentation
 * stage places no parts (no entry may be on it), but a build completes it like any other.
 * Changing stages is a change of the BOM: it raises the revision once a build used it.
 */

/** Adds a named stage (default number: after the last stage); answers the BOM. */
export async function addStage(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: StageCreate,
): Promise<Bom> {
  const data = parseInput(StageCreate, input);
  return changeStages(ctx, actor, ref, async (db, project) => {
    const stages = stagesOfBom(
      await listProjectStageRows(db, project.code),
      await listBomEntryRows(db, project.code),
    );
    const named = stages.filter((s) => s.name !== '');
    if (named.length >= MAX_STAGES)
      throw new ValidationError('name', `a project has at most ${MAX_STAGES} named stages`);
    checkUniqueName(named, data.name);
    const stage = data.stage ?? Math.max(0, ...stages.map((s) => s.stage)) + 1;
    if (stage > MAX_STAGE)
      throw new ValidationError('stage', `stage numbers go up to ${MAX_STAGE}: give a free one`);
    const existing = stages.find((s) => s.stage === stage);
    if (existing?.name) {
      throw new ConflictError(
        `stage ${stage} is named '${existing.name}' already: rename it instead`,
        'stage',
      );
    }
    if (data.documentation && existing && existing.entries > 0) {
      throw new ValidationError(
        'documentation',
        `stage ${stage} has ${existing.entries} BOM entries: a documentation stage places no parts`,
      );
    }
    await insertProjectStages(db, [
      {
        project_code: project.code,
        stage,
        name: data.name,
        documentation: data.documentation ? 1 : 0,
      },
    ]);
    return { stage: { stage, name: data.name, documentation: data.documentation } };
  });
}

/** Renames a stage or changes its documentation flag (a stage only entries use gets named). */
export async function updateStage(
  ctx: Context,
  actor: Actor,
  ref: string,
  stage: number,
  input: StageUpdate,
): Promise<Bom> {
  const data = parseInput(StageUpdate, input);
  if (data.name === undefined && data.documentation === undefined)
    throw new ValidationError('name', 'give a new name or documentation flag');
  return changeStages(ctx, actor, ref, async (db, project) => {
    const named = await listProjectStageRows(db, project.code);
    const stages = stagesOfBom(named, await listBomEntryRows(db, project.code));
    const current = stages.find((s) => s.stage === stage);
    if (!current) {
      throw new NotFoundError(
        'stage',
        String(stage),
        'stage',
        `the BOM has no stage ${stage} (stages: ${stages.map((s) => s.stage).join(', ') || 'none'})`,
      );
    }
    const name = data.name ?? current.name;
    if (!name) throw new ValidationError('name', `stage ${stage} has no name yet: give one`);
    if (data.name !== undefined)
      checkUniqueName(
        stages.filter((s) => s.stage !== stage && s.name !== ''),
        data.name,
      );
    const documentation = data.documentation ?? current.documentation;
    if (documentation && current.entries > 0) {
      throw new ValidationError(
        'documentation',
        `stage ${stage} has ${current.entries} BOM entries: move them to another stage first (a documentation stage places no parts)`,
      );
    }
    if (name === current.name && documentation === current.documentation) return null;
    const row = { name, documentation: documentation ? 1 : 0 };
    if (named.some((s) => s.stage === stage))
      await updateProjectStage(db, project.code, stage, row);
    else await insertProjectStages(db, [{ project_code: project.code, stage, ...row }]);
    return {
      stage: { stage, name, documentation },
      was: { name: current.name, documentation: current.documentation },
    };
  });
}

function checkUniqueName(others: readonly { stage: number; name: string }[], name: string): void {
  const twin = others.find((s) => stageNameKey(s.name) === stageNameKey(name));
  if (twin)
    throw new ValidationError('name', `stage ${twin.stage} is named '${twin.name}' already`);
}

/**
 * Locks the project, applies a change of its stages and records it (with the revision it
 * raised); `change` answers what it did for the history, or null when nothing changed.
 */
async function changeStages(
  ctx: Context,
  actor: Actor,
  ref: string,
  change: (db: Database, project: ProjectRow) => Promise<Record<string, unknown> | null>,
): Promise<Bom> {
  const code = parseCode(ref, 'code');
  const at = now(ctx);
  return inTransaction(ctx.db, async (db) => {
    const project = await lockProject(db, code);
    const done = await change(db, project);
    if (done) {
      const revision = await nextBomRevision(db, project);
      await updateProjectRow(db, project.code, { updated_at: at, ...revision.set });
      await appendHistory(db, actor, at, [
        {
          subjectCode: project.code,
          type: 'updated',
          data: { stages: { ...done, ...revision.shown } },
        },
      ]);
    }
    return bomOf(db, project.code);
  });
}
