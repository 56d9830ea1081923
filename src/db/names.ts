import { parseCode } from '../domain/code.js';
import { NotFoundError } from '../domain/errors.js';
import type { Database } from './database.js';

/**
 * Code → name of the named objects among `codes`, for one table. Called only by the repository
 * that owns the table (partNames, locationNames, projectNames), so each table keeps one owner.
 */
export async function namesByCode(
  db: Database,
  table: 'part' | 'location' | 'project',
  codes: string[],
) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom(table)
    .select(['code', 'name'])
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/**
 * An object named by its name (any case) or its code (any forgiving form), for the objects that
 * have unique names (label templates, printers): the name is tried first, so a name that looks
 * like a code still finds its object. Throws NotFoundError naming `field`.
 */
export async function getByNameOrCode<R>(
  ref: string,
  field: string,
  kind: string,
  byName: (name: string) => Promise<R | undefined>,
  byCode: (code: string) => Promise<R | undefined>,
): Promise<R> {
  const named = await byName(ref.trim());
  if (named) return named;
  let code: string;
  try {
    code = parseCode(ref, field);
  } catch {
    throw new NotFoundError(kind, ref, field);
  }
  const row = await byCode(code);
  if (!row) throw new NotFoundError(kind, ref, field);
  return row;
}
