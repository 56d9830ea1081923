import { sql, type Kysely } from 'kysely';
import { codeType } from './helpers.js';

// Customer serial formats, their counters and the serials assigned to units (docs/serials.md).
// Released migrations are never edited: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  await db.schema
    .createTable('serial_format')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('part_code', code, (c) => c.references('part.code'))
    .addColumn('reset', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('field_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('serial_format_name')
    .on('serial_format')
    .expression(sql`lower(name)`)
    .unique()
    .execute();

  // The next counter value per format, scope (a part code, or '' for global) and period ('' or
  // the year). Advanced by one upsert that returns the new value: concurrent requests get
  // disjoint blocks. A restore may set it back; customer_serial's constraint is the guarantee.
  await db.schema
    .createTable('serial_counter')
    .addColumn('format_code', code, (c) => c.notNull().references('serial_format.code'))
    .addColumn('scope_key', code, (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('next_value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('serial_counter_pk', ['format_code', 'scope_key', 'period'])
    .execute();

  // A unit has at most one serial per format (the primary key), and a serial is given once
  // within its format's scope (customer_serial_value): the database refuses a duplicate.
  await db.schema
    .createTable('customer_serial')
    .addColumn('format_code', code, (c) => c.notNull().references('serial_format.code'))
    .addColumn('lot_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('scope_key', code, (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint')
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('actor_code', code)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_serial_pk', ['format_code', 'lot_code'])
    .addUniqueConstraint('customer_serial_value', ['format_code', 'scope_key', 'value'])
    .execute();
  // The resolver finds a unit by its serial, whatever the case it was typed in.
  await db.schema
    .createIndex('customer_serial_lower_value')
    .on('customer_serial')
    .expression(sql`lower(value)`)
    .execute();
  await db.schema
    .createIndex('customer_serial_lot')
    .on('customer_serial')
    .column('lot_code')
    .execute();
}
