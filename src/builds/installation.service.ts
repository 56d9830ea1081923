import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { parseJsonText } from '../db/json-text.js';
import { shortCode } from '../domain/code.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { QUANTITY_SCALE } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { unitState } from '../domain/unit-state.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { getLocationRow } from '../locations/location.service.js';
import { lockLots, setUnitStates, type LotWithPart } from '../lots/lot.repository.js';
import { getLotRow } from '../lots/lot.service.js';
import { recordMovements } from '../stock/ledger.js';
import { stockAsideOfLots } from '../stock/stock.repository.js';
import { balancesOfLots } from '../stock/stock.repository.js';
import { findBuildRow, listBuildEntries } from './build.repository.js';
import { InstallRequest, UninstallRequest, type Installation } from './build.schemas.js';
import {
  closeInstallation,
  findInstallation,
  findOpenInstallation,
  findOverfilledSlots,
  insertInstallation,
  listOpenInstallationsOf,
  type InstallationRow,
} from './installation.repository.js';

/** States a unit may receive sub-assemblies in. */
const OPEN_PARENT_STATES = new Set(['in_production', 'available', 'in_repair']);

/**
 * Installs a sub-assembly unit into a unit, one to one: the parent's BOM must list the child's
 * part (or an allowed substitute) with room left, and a unit is installed in one place at a time
 * (a unique index on open installations decides races). The child's stock goes into the parent.
 */
export async function installUnit(
  ctx: Context,
  actor: Actor,
  input: InstallRequest,
): Promise<Installation> {
  const data = parseInput(InstallRequest, input);
  const at = now(ctx);
  const id = await inTransaction(ctx.db, async (db) => {
    const tctx = withDb(ctx, db);
    const child = unitOf(await getLotRow(tctx, data.child, 'child'), 'child');
    const parent = unitOf(await getLotRow(tctx, data.parent, 'parent'), 'parent');
    if (child.code === parent.code)
      throw new ValidationError('parent', 'a unit cannot be installed into itself');
    // Locked, the parent's BOM slots are counted and filled in one step (two units cannot both
    // take the last place), and both states are read as they are now.
    const states = await lockLots(db, [child.code, parent.code]);
    const childState = states.get(child.code);
    const parentState = states.get(parent.code);
    if (childState === 'installed') {
      const where = await findOpenInstallation(db, child.code);
      throw new ConflictError(
        `unit ${shortCode(child.code)} is installed in ${where ? shortCode(where.parent_code) : 'another unit'} already: remove it first`,
        'child',
      );
    }
    const aside = await stockAsideOfLots(db, [child.code]);
    const shownState = unitState(childState ?? '', aside.get(child.code) ?? null);
    if (shownState !== 'available') {
      throw new ConflictError(
        `unit ${shortCode(child.code)} is ${shownState.replace('_', ' ')}: only available units can be installed`,
        'child',
      );
    }
    if (!OPEN_PARENT_STATES.has(parentState ?? '')) {
      throw new ConflictError(
        `unit ${shortCode(parent.code)} is ${parentState}: nothing can be installed into it`,
        'parent',
      );
    }
    const entryNo = await bomSlot(db, child, parent);
    const balances = (await balancesOfLots(db, [child.code])).filter((b) => b.status === 'on_hand');
    if (balances.length !== 1 || Number(balances[0]!.quantity) !== QUANTITY_SCALE) {
      throw new ConflictError(`unit ${shortCode(child.code)} is not on hand in one place`, 'child');
    }
    const balance = balances[0]!;
    await recordMovements(
      db,
      { operation: ctx.newCode(), type: 'installed', actor, at, note: '', ref: parent.code },
      [
        {
          lot_code: child.code,
          part_code: child.part_code,
          location_code: balance.location_code,
          status: 'on_hand',
          quantity: -QUANTITY_SCALE,
        },
      ],
      () => new ConflictError('the unit changed meanwhile; try again', 'child'),
    );
    const installation = await mapUniqueViolation(
      insertInstallation(db, {
        child_code: child.code,
        parent_code: parent.code,
        entry_no: entryNo,
        installed_at: at,
        installed_by: actor.name,
        removed_at: null,
        removed_by: null,
        removed_reason: null,
      }),
      'installation_child_open',
      () =>
        new ConflictError(`unit ${shortCode(child.code)} is installed elsewhere already`, 'child'),
    );
    await setUnitStates(db, [child.code], 'installed');
    await appendHistory(db, actor, at, [
      { subjectCode: child.code, type: 'installed', data: { into: parent.code, entry: entryNo } },
      { subjectCode: parent.code, type: 'installed', data: { unit: child.code, entry: entryNo } },
    ]);
    return installation;
  });
  return toInstallation((await findInstallation(ctx.db, id))!);
}

/** Removes an installed unit (rework, repair): it comes back on hand, the reason is recorded. */
export async function uninstallUnit(
  ctx: Context,
  actor: Actor,
  input: UninstallRequest,
): Promise<Installation> {
  const data = parseInput(UninstallRequest, input);
  const at = now(ctx);
  const id = await inTransaction(ctx.db, async (db) => {
    const tctx = withDb(ctx, db);
    const child = unitOf(await getLotRow(tctx, data.child, 'child'), 'child');
    await lockLots(db, [child.code]);
    const installation = await findOpenInstallation(db, child.code);
    if (!installation)
      throw new ConflictError(`unit ${shortCode(child.code)} is not installed anywhere`, 'child');
    const location = data.location
      ? (await getLocationRow(tctx, data.location, 'location')).code
      : await whereParentLies(tctx, installation.parent_code);
    if (
      !(await closeInstallation(db, installation.id, {
        removed_at: at,
        removed_by: actor.name,
        removed_reason: data.reason,
      }))
    ) {
      throw new ConflictError('the installation changed meanwhile; try again', 'child');
    }
    const key = { lot_code: child.code, location_code: location, status: 'on_hand' as const };
    await recordMovements(
      db,
      {
        operation: ctx.newCode(),
        type: 'uninstalled',
        actor,
        at,
        note: data.reason,
        ref: installation.parent_code,
      },
      [{ ...key, part_code: child.part_code, quantity: QUANTITY_SCALE }],
    );
    await setUnitStates(db, [child.code], 'available');
    await appendHistory(db, actor, at, [
      {
        subjectCode: child.code,
        type: 'uninstalled',
        data: { from: installation.parent_code, reason: data.reason },
      },
      {
        subjectCode: installation.parent_code,
        type: 'uninstalled',
        data: { unit: child.code, reason: data.reason },
      },
    ]);
    return installation.id;
  });
  return toInstallation((await findInstallation(ctx.db, id))!);
}

/** No parent holds more units in a BOM entry than the entry's quantity per unit (`tracelot check`). */
export async function checkInstallations(ctx: Context): Promise<InstallationCheck> {
  const overfilled = await findOverfilledSlots(ctx.db);
  return {
    ok: overfilled.length === 0,
    overfilled: overfilled.map((r) => ({
      parent: r.parent_code,
      entry: r.entry_no,
      installed: r.installed,
      allowed: r.allowed,
    })),
  };
}

export interface InstallationCheck {
  ok: boolean;
  overfilled: { parent: string; entry: number; installed: number; allowed: number }[];
}

function unitOf(lot: LotWithPart, field: string): LotWithPart & { build_code: string } {
  if (lot.build_serial === null || lot.build_code === null) {
    throw new ValidationError(
      field,
      `lot ${shortCode(lot.code)} is not a unit (a serialized build's lot of one)`,
    );
  }
  return lot as LotWithPart & { build_code: string };
}

/** The parent's BOM entry the child fills: its part or an allowed substitute, with room left. */
async function bomSlot(
  db: Database,
  child: LotWithPart,
  parent: { code: string; build_code: string },
): Promise<number> {
  const entries = (await listBuildEntries(db, parent.build_code)).filter(
    (e) =>
      e.dnp === 0 &&
      (e.part_code === child.part_code ||
        (e.allow_substitutes === 1 && parseJsonText(e.substitutes).includes(child.part_code))),
  );
  if (entries.length === 0) {
    const build = await findBuildRow(db, parent.build_code);
    throw new ValidationError(
      'child',
      `${child.part_name} is not on the BOM of unit ${shortCode(parent.code)} (build ${shortCode(build?.code ?? '')})`,
    );
  }
  const installed = await listOpenInstallationsOf(db, parent.code);
  for (const e of entries) {
    const used = installed.filter((i) => i.entry_no === e.entry_no).length;
    if (used < Number(e.quantity) / QUANTITY_SCALE) return e.entry_no;
  }
  throw new ConflictError(
    `unit ${shortCode(parent.code)} holds as many ${child.part_name} as its BOM asks for already`,
    'parent',
  );
}

async function whereParentLies(ctx: Context, parent: string): Promise<string> {
  const balances = await balancesOfLots(ctx.db, [parent]);
  if (balances[0]) return balances[0].location_code;
  const lot = await getLotRow(ctx, parent, 'parent');
  const build = lot.build_code ? await findBuildRow(ctx.db, lot.build_code) : undefined;
  if (!build) throw new ValidationError('location', 'say where the removed unit goes');
  return build.location_code;
}

function toInstallation(row: InstallationRow): Installation {
  return {
    id: Number(row.id),
    child: row.child_code,
    parent: row.parent_code,
    entryNo: row.entry_no,
    installedAt: row.installed_at,
    installedBy: row.installed_by,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
    removedReason: row.removed_reason,
  };
}
