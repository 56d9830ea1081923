import { inChunks } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import type { PartTable } from '../db/schema.js';

/** What a project page or a BOM line shows of a part. */
export interface PartBrief {
  code: string;
  name: string;
  mpn: string;
  unit: PartTable['unit'];
  kind: PartTable['kind'];
}

/** The parts among `codes` that exist, with what a BOM shows of them. */
export async function findPartBriefs(
  db: Database,
  codes: readonly string[],
): Promise<Map<string, PartBrief>> {
  const rows = await inChunks([...new Set(codes)], (chunk) =>
    db
      .selectFrom('part')
      .select(['code', 'name', 'mpn', 'unit', 'kind'])
      .where('code', 'in', chunk)
      .execute(),
  );
  return new Map(rows.map((r) => [r.code, r]));
}

/** A part a BOM line may match, with its value and footprint custom fields. */
export interface MatchCandidate extends PartBrief {
  value: string;
  footprint: string;
}

/** Unarchived parts whose MPN is one of `mpns` (compared in lower case). */
export async function findPartsByMpn(
  db: Database,
  mpns: readonly string[],
): Promise<MatchCandidate[]> {
  const lower = [...new Set(mpns.map((m) => m.toLowerCase()))];
  const out = await inChunks(lower, (chunk) =>
    db
      .selectFrom('part')
      .select(['code', 'name', 'mpn', 'unit', 'kind'])
      .where((eb) => eb(eb.fn('lower', ['mpn']), 'in', chunk))
      .where('archived', '=', 0)
      .orderBy('code')
      .execute(),
  );
  return withValueAndFootprint(db, out);
}

/**
 * Unarchived parts that may match a line by value and footprint: those whose custom field
 * `value` is one of `values`, and those named exactly one of `names` (all compared in lower
 * case). The caller compares footprints.
 */
export async function findPartsByValueOrName(
  db: Database,
  values: readonly string[],
  names: readonly string[],
): Promise<MatchCandidate[]> {
  const lowerValues = [...new Set(values.map((v) => v.toLowerCase()))];
  const lowerNames = [...new Set(names.map((n) => n.toLowerCase()))];
  const byValue = await inChunks(lowerValues, (chunk) =>
    db
      .selectFrom('part')
      .select(['code', 'name', 'mpn', 'unit', 'kind'])
      .where('archived', '=', 0)
      .where('code', 'in', (eb) =>
        eb
          .selectFrom('object_field')
          .select('object_code')
          .where((f) => f(f.fn('lower', ['key']), '=', 'value'))
          .where((f) => f(f.fn('lower', ['value']), 'in', chunk)),
      )
      .execute(),
  );
  const byName = await inChunks(lowerNames, (chunk) =>
    db
      .selectFrom('part')
      .select(['code', 'name', 'mpn', 'unit', 'kind'])
      .where('archived', '=', 0)
      .where((eb) => eb(eb.fn('lower', ['name']), 'in', chunk))
      .execute(),
  );
  const found = new Map([...byValue, ...byName].map((r) => [r.code, r]));
  return withValueAndFootprint(
    db,
    [...found.values()].sort((a, b) => (a.code < b.code ? -1 : 1)),
  );
}

async function withValueAndFootprint(db: Database, parts: PartBrief[]): Promise<MatchCandidate[]> {
  const fields = new Map<string, { value: string; footprint: string }>();
  for (const p of parts) fields.set(p.code, { value: '', footprint: '' });
  const rows = await inChunks([...fields.keys()], (chunk) =>
    db
      .selectFrom('object_field')
      .select(['object_code', 'key', 'value'])
      .where('object_code', 'in', chunk)
      .where((eb) => eb(eb.fn('lower', ['key']), 'in', ['value', 'footprint']))
      .execute(),
  );
  for (const r of rows) {
    const key = r.key.toLowerCase() as 'value' | 'footprint';
    fields.get(r.object_code)![key] = r.value;
  }
  return parts.map((p) => ({ ...p, ...fields.get(p.code)! }));
}
