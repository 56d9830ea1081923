import { sql, type Kysely } from 'kysely';
import { codeType } from './helpers.js';

// Shipments of units, their returns, and service events on units (docs/shipments.md).
// Released migrations are never edited: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);

  await db.schema
    .createTable('shipment')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('customer', 'text', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('shipped_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('unit_count', 'integer', (c) => c.notNull())
    .addColumn('created_by_code', code)
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shipment_created').on('shipment').column('created_at').execute();
  await db.schema
    .createIndex('shipment_customer')
    .on('shipment')
    .expression(sql`lower(customer)`)
    .execute();
  await db.schema
    .createIndex('shipment_reference')
    .on('shipment')
    .expression(sql`lower(reference)`)
    .execute();

  await db.schema
    .createTable('shipment_unit')
    .addColumn('shipment_code', code, (c) => c.notNull().references('shipment.code'))
    .addColumn('lot_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('returned_at', 'text')
    .addColumn('returned_by', 'text')
    .addColumn('return_reason', 'text')
    .addPrimaryKeyConstraint('shipment_unit_pk', ['shipment_code', 'lot_code'])
    .execute();
  // A unit is out in one shipment at a time: the database refuses a second open row.
  await db.schema
    .createIndex('shipment_unit_open')
    .on('shipment_unit')
    .column('lot_code')
    .unique()
    .where(sql.ref('returned_at'), 'is', null)
    .execute();
  await db.schema.createIndex('shipment_unit_lot').on('shipment_unit').column('lot_code').execute();

  await db.schema
    .createTable('service_event')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('lot_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('actor_code', code)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('service_event_lot')
    .on('service_event')
    .columns(['lot_code', 'created_at'])
    .execute();
}
