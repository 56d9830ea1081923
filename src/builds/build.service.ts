import type { Insertable } from 'kysely';
import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import type { LotTable } from '../db/schema.js';
import { toJsonText } from '../db/json-text.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { missingStages, stagesOf } from '../domain/build-progress.js';
import { QUANTITY_SCALE } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { getLocationRow } from '../locations/location.service.js';
import { insertLots, releaseUnits, setUnitStates } from '../lots/lot.repository.js';
import {
  recordNewStock,
  releaseBuildOutputs,
  takeOutBalances,
  type Movement,
} from '../stock/ledger.js';
import { balancesOfLots } from '../stock/stock.repository.js';
import {
  listBomEntryRows,
  listProjectStageRows,
  lockProjectRow,
} from '../projects/project.repository.js';
import {
  countFinishConflicts,
  insertBuild,
  insertBuildEntries,
  insertBuildStages,
  listBuildEntries,
  listBuildStages,
  listCompletions,
  listOutputs,
  setBuildStatus,
} from './build.repository.js';
import {
  BuildCreate,
  CancelRequest,
  FinishRequest,
  ScrapRequest,
  type Build,
  type BuildUnit,
} from './build.schemas.js';
import { checkBuildTests } from '../test-results/test-gate.service.js';
import { assignSerials } from '../serials/serial.service.js';
import {
  getBuild,
  getBuildProgress,
  getBuildRow,
  listBuildUnits,
  snapshotEntry,
} from './build-view.service.js';
import { completeStage, lockBuild } from './stage-completion.service.js';
import { getProjectRow } from '../projects/project.service.js';
import type { SignableOperation } from '../domain/signature.js';
import { requireSignature, verifySignature } from '../signatures/signature.service.js';

/*
 * The commands of a build's life: start, scrap a unit, finish, cancel. Completing a stage is in
 * stage-completion.service.ts; what a build is and was (plan, views, timeline) in
 * build-view.service.ts.
 */

/**
 * Starts a build: the BOM is copied, and the output exists at once in production (one lot per
 * unit when serialized, so labels can be printed before any part is placed). With `run`, every
 * stage is completed for every unit and the build finished, in the same transaction.
 */
export async function startBuild(ctx: Context, actor: Actor, input: BuildCreate): Promise<Build> {
  const data = parseInput(BuildCreate, input);
  if (data.serialFormat !== undefined && !data.serialized)
    throw new ValidationError('serialFormat', 'customer serials need a serialized build');
  if (data.signature && !data.run)
    throw new ValidationError('signature', 'only a build started with run finishes and is signed');
  const code = ctx.newCode();
  const at = now(ctx);
  const signature = data.run
    ? await verifySignature(ctx, actor, ['build_finished'], data.signature)
    : undefined;
  await inTransaction(ctx.db, async (db) => {
    const tctx = withDb(ctx, db);
    if (data.run) await requireSignature(db, ['build_finished'], signature, at);
    // The project's lock orders the start against BOM changes: the build copies exactly the
    // revision it records (a change after it raises the revision).
    const project = await lockProjectRow(
      db,
      (await getProjectRow(tctx, data.project, 'project')).code,
    );
    if (!project) throw new NotFoundError('project', data.project, 'project');
    const location = (await getLocationRow(tctx, data.location, 'location')).code;
    const [bom, stages] = await Promise.all([
      listBomEntryRows(db, project.code),
      listProjectStageRows(db, project.code),
    ]);
    await insertBuild(db, {
      code,
      project_code: project.code,
      part_code: project.part_code,
      location_code: location,
      quantity: data.quantity,
      serialized: data.serialized ? 1 : 0,
      status: 'in_progress',
      picking: data.picking,
      exclude_tags: toJsonText(data.excludeTags),
      notes: data.notes,
      finish_note: '',
      created_at: at,
      updated_at: at,
      finished_at: null,
      bom_revision: project.bom_revision,
    });
    await insertBuildEntries(
      db,
      bom.map((e) => snapshotEntry(code, e)),
    );
    await insertBuildStages(
      db,
      stages.map((s) => ({
        build_code: code,
        stage: s.stage,
        name: s.name,
        documentation: s.documentation,
      })),
    );
    await appendHistory(db, actor, at, [
      {
        subjectCode: code,
        type: 'build_started',
        data: {
          project: project.code,
          quantity: data.quantity,
          serialized: data.serialized,
          bomRevision: project.bom_revision,
        },
      },
    ]);
    await createOutputs(tctx, actor, at, {
      code,
      part: project.part_code,
      location,
      quantity: data.quantity,
      serialized: data.serialized,
      // Run in one transaction, the output is never seen in production: it is made finished.
      finished: data.run,
    });
    if (data.serialFormat !== undefined)
      await assignSerials(tctx, actor, data.serialFormat, { build: code }, 'serialFormat');
    if (data.run) {
      for (const stage of stagesOf([...bom, ...stages])) {
        const lots = data.lots.filter((l) =>
          bom.some((e) => e.position === l.entry && e.stage === stage),
        );
        await completeStage(tctx, actor, code, stage, { lots, picking: data.picking });
      }
      await checkBuildTests(db, actor, at, { code, project_code: project.code });
      await setBuildStatus(db, code, { status: 'finished', finished_at: at, updated_at: at });
      await appendHistory(db, actor, at, [{ subjectCode: code, type: 'build_finished', data: {} }]);
    }
  });
  return getBuild(ctx, code);
}

/** Scraps a unit: its stock is removed; what it consumed stays recorded. */
export async function scrapUnit(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  unitRef: string,
  input: { reason: string },
): Promise<BuildUnit> {
  const { reason } = parseInput(ScrapRequest, input);
  const at = now(ctx);
  const unitCode = parseCode(unitRef, 'unit');
  const build = await inTransaction(ctx.db, async (db) => {
    const build = await getBuildRow(withDb(ctx, db), buildRef);
    const unit = (await listOutputs(db, build.code)).find((u) => u.code === unitCode);
    if (!unit || unit.build_serial === null) {
      throw new NotFoundError(
        'unit',
        unitCode,
        'unit',
        `unit '${unitCode}' is not a unit of build ${shortCode(build.code)}`,
      );
    }
    if (unit.unit_state !== 'in_production' && unit.unit_state !== 'available') {
      throw new ConflictError(
        `the unit is ${unit.unit_state}: only units in production or available can be scrapped`,
        'unit',
      );
    }
    const balances = await balancesOfLots(db, [unit.code]);
    await takeOutBalances(
      db,
      { operation: ctx.newCode(), type: 'scrapped', actor, at, note: reason, ref: build.code },
      balances,
      () => new ConflictError('the unit changed meanwhile; try again', 'unit'),
    );
    await setUnitStates(db, [unit.code], 'scrapped');
    await appendHistory(db, actor, at, [
      {
        subjectCode: build.code,
        type: 'unit_scrapped',
        data: { unit: unit.code, serial: unit.build_serial, reason },
      },
      { subjectCode: unit.code, type: 'unit_scrapped', data: { build: build.code, reason } },
    ]);
    return build;
  });
  const units = await listBuildUnits(ctx, build.code, { limit: 1, offset: 0 }, unitCode);
  return units.items[0]!;
}

/**
 * Finishes a build: the surviving output becomes usable stock (units: available). Every unit
 * must have completed every stage, unless `allowIncomplete` with a note, which is recorded.
 */
export async function finishBuild(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  input: FinishRequest,
): Promise<Build> {
  const data = parseInput(FinishRequest, input);
  const at = now(ctx);
  const signing: SignableOperation[] = data.overrideTests
    ? ['build_finished', 'tests_overridden']
    : ['build_finished'];
  const signature = await verifySignature(ctx, actor, signing, data.signature);
  const code = await inTransaction(ctx.db, async (db) => {
    const build = await lockBuild(withDb(ctx, db), buildRef, at);
    await requireSignature(db, signing, signature, at);
    const [entries, named, progress] = await Promise.all([
      listBuildEntries(db, build.code),
      listBuildStages(db, build.code),
      getBuildProgress(db, build),
    ]);
    const missing = missingStages(progress, stagesOf([...entries, ...named]));
    if (missing.length > 0 && !data.allowIncomplete) {
      throw new ConflictError(
        `stages incomplete: ${missing.map((m) => `stage ${m.stage} for ${m.units}`).join('; ')}. Complete them, or finish with allowIncomplete and a note`,
        'allowIncomplete',
      );
    }
    if (missing.length > 0 && !data.note.trim()) {
      throw new ValidationError('note', 'say why the build is finished with stages incomplete');
    }
    await checkBuildTests(db, actor, at, build, data);
    if ((await countFinishConflicts(db, build.code)) > 0) {
      throw new ConflictError(
        'some output is on hand already at its location; move it first',
        'build',
      );
    }
    const operation = ctx.newCode();
    await releaseBuildOutputs(db, { operation, actor, at, note: data.note }, build.code);
    if (build.serialized) {
      await releaseUnits(db, build.code);
    }
    // Kept whether or not it was required: a note given is never dropped.
    const note = data.note.trim();
    await setBuildStatus(db, build.code, {
      status: 'finished',
      finished_at: at,
      finish_note: note,
      updated_at: at,
    });
    await appendHistory(db, actor, at, [
      {
        subjectCode: build.code,
        type: 'build_finished',
        data: missing.length > 0 ? { incomplete: missing, note } : { note },
      },
    ]);
    return build.code;
  });
  return getBuild(ctx, code);
}

/** Cancels a build that has consumed nothing: its output is removed. */
export async function cancelBuild(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  input: { reason: string },
): Promise<Build> {
  const { reason } = parseInput(CancelRequest, input);
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const build = await lockBuild(withDb(ctx, db), buildRef, at);
    if ((await listCompletions(db, build.code)).length > 0) {
      throw new ConflictError(
        'stages were completed and parts consumed: scrap the units or finish the build instead',
        'build',
      );
    }
    const outputs = await listOutputs(db, build.code);
    const balances = await balancesOfLots(
      db,
      outputs.map((o) => o.code),
    );
    await takeOutBalances(
      db,
      { operation: ctx.newCode(), type: 'cancelled', actor, at, note: reason, ref: build.code },
      balances,
      () => new ConflictError('the build changed meanwhile; try again', 'build'),
    );
    if (build.serialized) {
      await setUnitStates(
        db,
        outputs.map((o) => o.code),
        'scrapped',
      );
    }
    await setBuildStatus(db, build.code, { status: 'cancelled', finished_at: at, updated_at: at });
    await appendHistory(db, actor, at, [
      { subjectCode: build.code, type: 'build_cancelled', data: { reason } },
    ]);
    return build.code;
  });
  return getBuild(ctx, code);
}

/**
 * The output lots with their `produced` ledger entries: N units, or one lot of N; in production,
 * or finished already when the whole build runs in one transaction.
 */
async function createOutputs(
  ctx: Context,
  actor: Actor,
  at: string,
  build: {
    code: string;
    part: string;
    location: string;
    quantity: number;
    serialized: boolean;
    finished: boolean;
  },
): Promise<void> {
  const db = ctx.db;
  const operation = ctx.newCode();
  const count = build.serialized ? build.quantity : 1;
  const each = build.serialized ? QUANTITY_SCALE : build.quantity * QUANTITY_SCALE;
  const lots: Insertable<LotTable>[] = [];
  const movements: Movement[] = [];
  for (let serial = 1; serial <= count; serial++) {
    const code = ctx.newCode();
    lots.push({
      code,
      part_code: build.part,
      name: '',
      description: '',
      comments: '',
      expiry: null,
      vendor_lot: '',
      date_code: '',
      order_ref: '',
      parent_code: null,
      created_at: at,
      updated_at: at,
      build_code: build.code,
      build_serial: build.serialized ? serial : null,
      unit_state: build.serialized ? (build.finished ? 'available' : 'in_production') : null,
    });
    movements.push({
      lot_code: code,
      part_code: build.part,
      location_code: build.location,
      status: build.finished ? 'on_hand' : 'in_production',
      quantity: each,
    });
  }
  await insertLots(db, lots);
  await recordNewStock(
    db,
    { operation, type: 'produced', actor, at, note: '', ref: build.code },
    movements,
  );
}
