import { loadAttributes } from '../attributes/attribute.repository.js';
import { addAttributes, validateAttributes } from '../attributes/attribute.service.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { siteBriefs } from '../sites/site.service.js';
import { applyEdit } from '../history/apply-edit.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findLocationByName,
  findLocationRow,
  insertLocation,
  listLocationRows,
  updateLocationRow,
  type LocationRow,
} from './location.repository.js';
import {
  LocationCreate,
  LocationQuery,
  LocationUpdate,
  type Location,
  type LocationPage,
} from './location.schemas.js';

/** Creates a location; `code` is a new one unless an import keeps another system's id. */
export async function createLocation(
  ctx: Context,
  actor: Actor,
  input: LocationCreate,
  code = ctx.newCode(),
): Promise<Location> {
  const { tags, customFields, ...data } = parseInput(LocationCreate, input);
  const attributes = validateAttributes({ tags, customFields });
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    await ensureNameFree(db, data.name);
    await mapUniqueViolation(
      insertLocation(db, { code, ...data, archived: 0, created_at: at, updated_at: at }),
      NAME_INDEX,
      () => nameTaken(data.name),
    );
    await addAttributes(db, [{ code, ...attributes }]);
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { name: data.name } },
    ]);
  });
  return getLocation(ctx, code);
}

export async function getLocation(ctx: Context, ref: string): Promise<Location> {
  const [location] = await toLocations(ctx, [await getLocationRow(ctx, ref)]);
  return location!;
}

export async function getLocationRow(
  ctx: Context,
  ref: string,
  field = 'code',
): Promise<LocationRow> {
  const code = parseCode(ref, field);
  const row = await findLocationRow(ctx.db, code);
  if (!row) throw new NotFoundError('location', code, field);
  return row;
}

export async function listLocations(ctx: Context, query: LocationQuery): Promise<LocationPage> {
  const filter = parseInput(LocationQuery, query);
  const { rows, total } = await listLocationRows(ctx.db, filter);
  return { items: await toLocations(ctx, rows), total, limit: filter.limit, offset: filter.offset };
}

export async function updateLocation(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: LocationUpdate,
): Promise<Location> {
  const { tags, customFields, archived, ...columns } = parseInput(LocationUpdate, input);
  const attributes = validateAttributes({ tags, customFields });
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getLocationRow(withDb(ctx, db), ref);
    if (columns.name && columns.name.toLowerCase() !== row.name.toLowerCase())
      await ensureNameFree(db, columns.name);
    await applyEdit(db, actor, now(ctx), row, { columns, attributes, archived }, (set) =>
      mapUniqueViolation(updateLocationRow(db, row.code, set), NAME_INDEX, () =>
        nameTaken(columns.name ?? ''),
      ),
    );
    return row.code;
  });
  return getLocation(ctx, code);
}

/** Names are unique ignoring case: this index decides, also between concurrent requests. */
const NAME_INDEX = 'location_name_unique';

const nameTaken = (name: string) =>
  new ConflictError(`a location named '${name}' exists already`, 'name');

async function ensureNameFree(db: Database, name: string): Promise<void> {
  if (await findLocationByName(db, name)) throw nameTaken(name);
}

async function toLocations(ctx: Context, rows: LocationRow[]): Promise<Location[]> {
  const attributes = await loadAttributes(
    ctx.db,
    rows.map((r) => r.code),
  );
  const sites = await siteBriefs(ctx);
  return rows.map((r) => ({
    code: r.code,
    shortCode: shortCode(r.code),
    name: r.name,
    description: r.description,
    archived: r.archived === 1,
    ...attributes.get(r.code)!,
    site: sites.get(r.site_id) ?? { id: r.site_id, name: shortCode(r.site_id), local: false },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
