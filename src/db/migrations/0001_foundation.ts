import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { codeType, serialType } from './helpers.js';

// Released migrations are never edited: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  const serial = serialType(db);
  const text = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo('');

  await db.schema
    .createTable('part')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', text)
    .addColumn('manufacturer', 'text', text)
    .addColumn('mpn', 'text', text)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('part_name')
    .on('part')
    .expression(sql`lower(name)`)
    .execute();
  await db.schema
    .createIndex('part_mpn')
    .on('part')
    .expression(sql`lower(mpn)`)
    .execute();

  await db.schema
    .createTable('location')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', text)
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('location_name_unique')
    .on('location')
    .unique()
    .expression(sql`lower(name)`)
    .execute();

  await db.schema
    .createTable('lot')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('name', 'text', text)
    .addColumn('description', 'text', text)
    .addColumn('comments', 'text', text)
    .addColumn('expiry', 'text')
    .addColumn('vendor_lot', 'text', text)
    .addColumn('date_code', 'text', text)
    .addColumn('order_ref', 'text', text)
    .addColumn('parent_code', code, (c) => c.references('lot.code'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lot_part').on('lot').columns(['part_code', 'created_at']).execute();
  await db.schema.createIndex('lot_parent').on('lot').column('parent_code').execute();
  await db.schema.createIndex('lot_created').on('lot').column('created_at').execute();

  await db.schema
    .createTable('stock_balance')
    .addColumn('lot_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('location_code', code, (c) => c.notNull().references('location.code'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('quantity', 'bigint', (c) => c.notNull().check(sql`quantity >= 0`))
    .addPrimaryKeyConstraint('stock_balance_pk', ['lot_code', 'location_code', 'status'])
    .execute();
  await db.schema
    .createIndex('stock_balance_part')
    .on('stock_balance')
    .column('part_code')
    .execute();
  await db.schema
    .createIndex('stock_balance_location')
    .on('stock_balance')
    .column('location_code')
    .execute();

  await db.schema
    .createTable('stock_entry')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('operation', code, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('lot_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('location_code', code, (c) => c.notNull().references('location.code'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text', text)
    .addColumn('actor_code', code)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stock_entry_lot')
    .on('stock_entry')
    .columns(['lot_code', 'id'])
    .execute();
  await db.schema
    .createIndex('stock_entry_location')
    .on('stock_entry')
    .columns(['location_code', 'id'])
    .execute();

  await db.schema
    .createTable('history_event')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('subject_code', code, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('actor_code', code)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('history_event_subject')
    .on('history_event')
    .columns(['subject_code', 'id'])
    .execute();

  await db.schema
    .createTable('object_tag')
    .addColumn('object_code', code, (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('object_tag_pk', ['object_code', 'tag'])
    .execute();
  await db.schema
    .createIndex('object_tag_tag')
    .on('object_tag')
    .columns(['tag', 'object_code'])
    .execute();

  await db.schema
    .createTable('object_field')
    .addColumn('object_code', code, (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('object_field_pk', ['object_code', 'key'])
    .execute();

  await db.schema
    .createTable('app_user')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('app_user_username_unique')
    .on('app_user')
    .unique()
    .expression(sql`lower(username)`)
    .execute();

  await db.schema
    .createTable('api_key')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('user_session')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_code', code, (c) => c.notNull().references('app_user.code'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_session_user').on('user_session').column('user_code').execute();
}
