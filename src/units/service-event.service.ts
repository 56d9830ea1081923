import { loadAttributes } from '../attributes/attribute.repository.js';
import { addAttributes, validateAttributes } from '../attributes/attribute.service.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import {
  ServiceEventCreate,
  ServiceEventQuery,
  type ServiceEvent,
  type ServiceEventPage,
} from './unit.schemas.js';
import {
  findServiceEventRow,
  insertServiceEvent,
  pageOfServiceEvents,
  type ServiceEventRow,
} from './service-event.repository.js';
import { getUnitRow } from './unit.service.js';

/**
 * Records an inspection, rework, repair, return or note on a unit, in any state. The event has
 * its own code, so files can be attached to it; custom fields are stored like any object's.
 */
export async function addServiceEvent(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: ServiceEventCreate,
): Promise<ServiceEvent> {
  const data = parseInput(ServiceEventCreate, input);
  const { customFields } = validateAttributes({ customFields: data.customFields });
  const at = now(ctx);
  const code = ctx.newCode();
  await inTransaction(ctx.db, async (db) => {
    const unit = await getUnitRow(withDb(ctx, db), ref, 'code');
    await insertServiceEvent(db, {
      code,
      lot_code: unit.code,
      type: data.type,
      text: data.text,
      actor_code: actor.code,
      actor_name: actor.name,
      created_at: at,
    });
    await addAttributes(db, [{ code, customFields }]);
    await appendHistory(db, actor, at, [
      { subjectCode: unit.code, type: 'service_event', data: { event: code, type: data.type } },
    ]);
  });
  const row = await findServiceEventRow(ctx.db, code);
  return (await toServiceEvents(ctx, [row!]))[0]!;
}

/** One service event by its code (a scanned event label, a file attached to it). */
export async function getServiceEvent(ctx: Context, ref: string): Promise<ServiceEvent> {
  const code = parseCode(ref);
  const row = await findServiceEventRow(ctx.db, code);
  if (!row) throw new NotFoundError('service event', code, 'code');
  return (await toServiceEvents(ctx, [row]))[0]!;
}

/** A unit's service events, oldest first. */
export async function listServiceEvents(
  ctx: Context,
  ref: string,
  query: ServiceEventQuery,
): Promise<ServiceEventPage> {
  const { limit, offset } = parseInput(ServiceEventQuery, query);
  const unit = await getUnitRow(ctx, ref, 'code');
  const { rows, total } = await pageOfServiceEvents(ctx.db, unit.code, { limit, offset });
  return { items: await toServiceEvents(ctx, rows), total, limit, offset };
}

async function toServiceEvents(ctx: Context, rows: ServiceEventRow[]): Promise<ServiceEvent[]> {
  const attributes = await loadAttributes(
    ctx.db,
    rows.map((r) => r.code),
  );
  return rows.map((r) => ({
    code: r.code,
    shortCode: shortCode(r.code),
    unit: r.lot_code,
    type: r.type,
    text: r.text,
    customFields: attributes.get(r.code)!.customFields,
    actor: { code: r.actor_code, name: r.actor_name },
    at: r.created_at,
  }));
}
