import { MAX_PARAMETERS, insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import type { CustomFields } from '../domain/attributes.js';

/** Tags and custom fields of any object, keyed by its code. */
export interface Attributes {
  tags: string[];
  customFields: CustomFields;
}

export async function loadAttributes(
  db: Database,
  codes: readonly string[],
): Promise<Map<string, Attributes>> {
  const out = new Map<string, Attributes>();
  for (const code of codes) out.set(code, { tags: [], customFields: {} });
  if (codes.length === 0) return out;
  const [tags, fields] = await Promise.all([
    db
      .selectFrom('object_tag')
      .select(['object_code', 'tag'])
      .where('object_code', 'in', codes)
      .execute(),
    db
      .selectFrom('object_field')
      .select(['object_code', 'key', 'value'])
      .where('object_code', 'in', codes)
      .execute(),
  ]);
  // Sorted here, not in SQL: collations differ between the databases.
  for (const t of tags.sort((a, b) => compare(a.tag, b.tag)))
    out.get(t.object_code)?.tags.push(t.tag);
  for (const f of fields.sort((a, b) => compare(a.key, b.key))) {
    const attrs = out.get(f.object_code);
    // defineProperty: a key such as __proto__ is data here, not the prototype.
    if (attrs)
      Object.defineProperty(attrs.customFields, f.key, {
        value: f.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function insertTags(db: Database, rows: { object_code: string; tag: string }[]) {
  await insertMany(db, 'object_tag', rows);
}

export async function insertFields(
  db: Database,
  rows: { object_code: string; key: string; value: string }[],
) {
  await insertMany(db, 'object_field', rows);
}

/** Sets a custom field on many objects, replacing a value the field had. */
export async function upsertFields(
  db: Database,
  rows: { object_code: string; key: string; value: string }[],
) {
  const size = Math.floor(MAX_PARAMETERS / 3);
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto('object_field')
      .values(rows.slice(i, i + size))
      .onConflict((oc) =>
        oc.columns(['object_code', 'key']).doUpdateSet({ value: (eb) => eb.ref('excluded.value') }),
      )
      .execute();
  }
}

export async function replaceTags(db: Database, code: string, tags: string[]) {
  await db.deleteFrom('object_tag').where('object_code', '=', code).execute();
  await insertTags(
    db,
    tags.map((tag) => ({ object_code: code, tag })),
  );
}

export async function replaceFields(db: Database, code: string, fields: CustomFields) {
  await db.deleteFrom('object_field').where('object_code', '=', code).execute();
  await insertFields(
    db,
    Object.entries(fields).map(([key, value]) => ({ object_code: code, key, value })),
  );
}
