import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { SQLITE_UNIQUE_COLUMNS } from '../src/db/errors.js';
import { SCHEMA_COLUMNS } from '../src/db/schema-columns.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.js';

/** Table → column → kind as schema-columns.ts writes it (`text`, `integer`, `?` when nullable). */
type Columns = Record<string, Record<string, string>>;

/**
 * How a database type reads in schema-columns.ts: INTEGER and BIGINT are both integers, SQLite's
 * BLOB and PostgreSQL's bytea are both blobs.
 */
function kindOf(type: string, nullable: boolean): string {
  const base = /^(integer|bigint)$/i.test(type)
    ? 'integer'
    : /^text$/i.test(type)
      ? 'text'
      : /^(blob|bytea)$/i.test(type)
        ? 'blob'
        : type;
  return nullable ? `${base}?` : base;
}

// Kysely's own bookkeeping, not part of schema.ts.
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'];

async function migratedColumns(db: Database, dialect: string): Promise<Columns> {
  const columns: Columns = {};
  if (dialect === 'sqlite') {
    const { rows: tables } = await sql<{ name: string }>`
      select name from sqlite_master
      where type = 'table' and name not like 'sqlite_%'`.execute(db);
    for (const { name: table } of tables) {
      if (MIGRATION_TABLES.includes(table)) continue;
      const { rows } = await sql<{ name: string; type: string; notnull: number; pk: number }>`
        select name, type, "notnull", pk from pragma_table_info(${table})`.execute(db);
      // SQLite lets a primary key column other than INTEGER hold null unless declared NOT NULL;
      // Tracelot never writes one, and PostgreSQL refuses it: a key column counts as not null.
      columns[table] = Object.fromEntries(
        rows.map((c) => [c.name, kindOf(c.type, c.notnull === 0 && c.pk === 0)]),
      );
    }
    return columns;
  }
  const { rows } = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>`
    select table_name, column_name, data_type, is_nullable from information_schema.columns
    where table_schema = current_schema()`.execute(db);
  for (const c of rows) {
    if (MIGRATION_TABLES.includes(c.table_name)) continue;
    (columns[c.table_name] ??= {})[c.column_name] = kindOf(c.data_type, c.is_nullable === 'YES');
  }
  return columns;
}

/** What differs between the database and schema.ts, one line per table or column. */
function differences(migrated: Columns, declared: Columns): string[] {
  const found: string[] = [];
  const names = (o: object) => Object.keys(o).sort();
  for (const table of new Set([...names(migrated), ...names(declared)])) {
    const inDb = migrated[table];
    const inSchema = declared[table];
    if (!inSchema) found.push(`${table}: in the database, not in schema.ts`);
    else if (!inDb) found.push(`${table}: in schema.ts, not in the database`);
    else {
      for (const column of new Set([...names(inDb), ...names(inSchema)])) {
        const [db, ts] = [inDb[column], inSchema[column]];
        if (db !== ts)
          found.push(`${table}.${column}: database ${db ?? 'none'}, schema.ts ${ts ?? 'none'}`);
      }
    }
  }
  return found;
}

/** Unique indexes on plain columns (not on expressions, not primary keys or constraints). */
async function uniqueColumnIndexes(db: Database, dialect: string): Promise<Record<string, string>> {
  if (dialect === 'sqlite') {
    const { rows: indexes } = await sql<{ name: string; tbl_name: string }>`
      select name, tbl_name from sqlite_master
      where type = 'index' and sql like 'create unique index%' collate nocase`.execute(db);
    const found: Record<string, string> = {};
    for (const index of indexes) {
      const { rows } = await sql<{ cid: number; name: string | null }>`
        select cid, name from pragma_index_info(${index.name}) order by seqno`.execute(db);
      if (rows.some((c) => c.cid < 0)) continue;
      found[index.name] = rows.map((c) => `${index.tbl_name}.${c.name}`).join(', ');
    }
    return found;
  }
  const { rows } = await sql<{ name: string; columns: string }>`
    select i.relname as name,
           string_agg(t.relname || '.' || a.attname, ', ' order by k.ord) as columns
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
     cross join unnest(x.indkey) with ordinality as k(attnum, ord)
      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
     where n.nspname = current_schema() and x.indisunique and not x.indisprimary
       and x.indexprs is null
       and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
     group by i.relname`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, r.columns]));
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the migrated schema and schema.ts`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(() => database.close());

    it('have the same tables, columns, kinds and nullability', async () => {
      const migrated = await migratedColumns(database.db, dialect);
      expect(Object.keys(migrated).length).toBe(Object.keys(SCHEMA_COLUMNS).length);
      expect(differences(migrated, SCHEMA_COLUMNS)).toEqual([]);
    });

    it('differ when a column is in only one of them', async () => {
      const migrated = await migratedColumns(database.db, dialect);
      const { gtin: _, ...partWithoutGtin } = SCHEMA_COLUMNS.part;
      expect(differences(migrated, { ...SCHEMA_COLUMNS, part: partWithoutGtin })).toEqual([
        'part.gtin: database text?, schema.ts none',
      ]);
      const withExtra = { ...migrated, lot: { ...migrated.lot, extra: 'text' } };
      expect(differences(withExtra, SCHEMA_COLUMNS)).toEqual([
        'lot.extra: database text, schema.ts none',
      ]);
      const { label_template: _table, ...withoutTable } = migrated;
      expect(differences(withoutTable, SCHEMA_COLUMNS)).toEqual([
        'label_template: in schema.ts, not in the database',
      ]);
    });

    it("has exactly the unique indexes on columns that errors.ts's registry names", async () => {
      const registry = Object.fromEntries(
        Object.entries(SQLITE_UNIQUE_COLUMNS).map(([columns, index]) => [index, columns]),
      );
      expect(Object.keys(registry).length).toBeGreaterThan(3);
      expect(await uniqueColumnIndexes(database.db, dialect)).toEqual(registry);
    });
  });
}
