/**
 * The lot as the API and the command line show it: its fields with its stock balances, its
 * ledger and history, and the edit that answers with it. It lives in stock, not in lots, because
 * stock already imports lots (it creates and locks lots) while lots never reads the stock.
 */

import { removedAttachmentCodes } from '../attachments/attachment.repository.js';
import { loadAttributes } from '../attributes/attribute.repository.js';
import { isAccount } from '../auth/user.service.js';
import { validateAttributes } from '../attributes/attribute.service.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { groupBy } from '../domain/collections.js';
import { parseDate } from '../domain/date.js';
import { ForbiddenError } from '../domain/errors.js';
import { toUnits } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { applyEdit } from '../history/apply-edit.js';
import { listHistory, type HistoryEvent } from '../history/history.repository.js';
import {
  findLotRows,
  listLotCodes,
  updateLotRow,
  type LotWithPart,
} from '../lots/lot.repository.js';
import {
  LotFields,
  LotQuery,
  type Lot,
  type LotHistoryItem,
  type LotPage,
} from '../lots/lot.schemas.js';
import { getLotRow } from '../lots/lot.service.js';
import { listLotBalances, listLotEntries } from './stock.repository.js';

export async function getLot(ctx: Context, ref: string, field = 'code'): Promise<Lot> {
  const [lot] = await toLots(ctx, [await getLotRow(ctx, ref, field)]);
  return lot!;
}

export async function listLots(ctx: Context, query: LotQuery): Promise<LotPage> {
  const filter = parseInput(LotQuery, query);
  const { codes, total } = await listLotCodes(ctx.db, {
    ...filter,
    part: filter.part && parseCode(filter.part, 'part'),
    location: filter.location && parseCode(filter.location, 'location'),
  });
  const rows = new Map((await findLotRows(ctx.db, codes)).map((r) => [r.code, r]));
  const items = await toLots(
    ctx,
    codes.map((c) => rows.get(c)!),
  );
  return { items, total, limit: filter.limit, offset: filter.offset };
}

/** Edits the lot's own fields; stock changes go through the stock operations. */
export async function updateLot(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: LotFields,
): Promise<Lot> {
  const { tags, customFields, expiry, vendorLot, dateCode, orderRef, ...rest } = parseInput(
    LotFields,
    input,
  );
  const attributes = validateAttributes({ tags, customFields });
  const columns = {
    ...rest,
    expiry: expiry === undefined || expiry === null ? expiry : parseDate(expiry, 'expiry'),
    vendor_lot: vendorLot,
    date_code: dateCode,
    order_ref: orderRef,
  };
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getLotRow(withDb(ctx, db), ref);
    const names = { vendor_lot: 'vendorLot', date_code: 'dateCode', order_ref: 'orderRef' };
    await applyEdit(db, actor, now(ctx), row, { columns, attributes, names }, (set) =>
      updateLotRow(db, row.code, set),
    );
    return row.code;
  });
  return getLot(ctx, code);
}

/**
 * Every ledger entry and field change of a lot (or of any object with a history), oldest first.
 * Users' and API keys' histories are for admins; so are events of removed attachments. Without
 * `actor` the caller is trusted (the command line works on the database as an admin).
 */
export async function getLotHistory(
  ctx: Context,
  ref: string,
  actor?: Actor,
): Promise<LotHistoryItem[]> {
  const code = parseCode(ref);
  const [entries, all] = await Promise.all([
    listLotEntries(ctx.db, code),
    listHistory(ctx.db, code),
  ]);
  const admin = (actor?.role ?? 'admin') === 'admin';
  if (!admin && entries.length === 0 && (await isAccount(ctx, code)))
    throw new ForbiddenError('only admins may read the history of users and API keys', 'code');
  if (entries.length === 0 && all.length === 0) await getLotRow(ctx, code);
  const events = admin ? all : await withoutRemovedAttachments(ctx, all);
  const items: LotHistoryItem[] = [
    ...entries.map((e) => ({
      source: 'stock' as const,
      id: e.id,
      type: e.type,
      operation: e.operation,
      location: { code: e.location_code, name: e.location_name },
      status: e.status,
      quantity: toUnits(e.quantity),
      note: e.note,
      actor: { code: e.actor_code, name: e.actor_name },
      at: e.created_at,
    })),
    ...events.map((e) => ({
      source: 'event' as const,
      id: e.id,
      type: e.type,
      data: e.data,
      actor: e.actor,
      at: e.at,
    })),
  ];
  // Same time: the ledger entries of an operation before its events (ids are per table).
  const rank = (i: LotHistoryItem) => (i.source === 'stock' ? 0 : 1);
  return items.sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : rank(a) - rank(b) || a.id - b.id,
  );
}

/** The events without those that name a removed attachment (its name, the reason). */
async function withoutRemovedAttachments(
  ctx: Context,
  events: HistoryEvent[],
): Promise<HistoryEvent[]> {
  const attachmentOf = (e: HistoryEvent) =>
    e.type.startsWith('attachment_') ? (e.data as { attachment?: string }).attachment : undefined;
  const codes = events.map(attachmentOf).filter((c) => c !== undefined);
  const removed = await removedAttachmentCodes(ctx.db, codes);
  if (removed.size === 0) return events;
  return events.filter((e) => !removed.has(attachmentOf(e) ?? ''));
}

export async function toLots(ctx: Context, rows: LotWithPart[]): Promise<Lot[]> {
  const codes = rows.map((r) => r.code);
  const [attributes, balances] = await Promise.all([
    loadAttributes(ctx.db, codes),
    listLotBalances(ctx.db, codes),
  ]);
  const byLot = groupBy(balances, (b) => b.lot_code);
  return rows.map((r) => {
    const own = (byLot.get(r.code) ?? []).sort(
      (a, b) => a.location_name.localeCompare(b.location_name) || a.status.localeCompare(b.status),
    );
    return {
      code: r.code,
      shortCode: shortCode(r.code),
      name: r.name,
      description: r.description,
      comments: r.comments,
      expiry: r.expiry,
      vendorLot: r.vendor_lot,
      dateCode: r.date_code,
      orderRef: r.order_ref,
      parentCode: r.parent_code,
      part: { code: r.part_code, name: r.part_name, mpn: r.part_mpn, unit: r.part_unit },
      ...attributes.get(r.code)!,
      quantity: toUnits(own.reduce((sum, b) => sum + Number(b.quantity), 0)),
      balances: own.map((b) => ({
        location: { code: b.location_code, name: b.location_name },
        status: b.status,
        quantity: toUnits(Number(b.quantity)),
      })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  });
}
