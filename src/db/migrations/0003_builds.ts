import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { codeType, serialType } from './helpers.js';

// Projects, BOMs, builds, units, consumption and installation (docs/builds.md).
// Released migrations are never edited: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  const serial = serialType(db);
  const text = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo('');
  const zero = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);

  await db.schema
    .createTable('project')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', text)
    .addColumn('notes', 'text', text)
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('archived', 'integer', zero)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('project_name')
    .on('project')
    .expression(sql`lower(name)`)
    .execute();
  await db.schema.createIndex('project_part').on('project').column('part_code').execute();

  await db.schema
    .createTable('bom_entry')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('project_code', code, (c) => c.notNull().references('project.code'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .addColumn('designators', 'text', text)
    .addColumn('substitutes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('allow_substitutes', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('dnp', 'integer', zero)
    .addColumn('stage', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('attrition_ppm', 'bigint', zero)
    .addColumn('attrition_fixed', 'bigint', zero)
    .addColumn('comments', 'text', text)
    .execute();
  await db.schema
    .createIndex('bom_entry_project')
    .on('bom_entry')
    .columns(['project_code', 'position'])
    .execute();

  await db.schema
    .createTable('build')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('project_code', code, (c) => c.notNull().references('project.code'))
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('location_code', code, (c) => c.notNull().references('location.code'))
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .addColumn('serialized', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('picking', 'text', (c) => c.notNull())
    .addColumn('exclude_tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('notes', 'text', text)
    .addColumn('finish_note', 'text', text)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('build_project')
    .on('build')
    .columns(['project_code', 'created_at'])
    .execute();
  await db.schema.createIndex('build_created').on('build').column('created_at').execute();

  // The BOM as the build started it: later BOM edits do not change what a build used.
  await db.schema
    .createTable('build_entry')
    .addColumn('build_code', code, (c) => c.notNull().references('build.code'))
    .addColumn('entry_no', 'integer', (c) => c.notNull())
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .addColumn('designators', 'text', text)
    .addColumn('substitutes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('allow_substitutes', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('dnp', 'integer', zero)
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('attrition_ppm', 'bigint', zero)
    .addColumn('attrition_fixed', 'bigint', zero)
    .addPrimaryKeyConstraint('build_entry_pk', ['build_code', 'entry_no'])
    .execute();

  // Units and outputs are lots: the build that produced them, their serial within it, and a
  // unit's place in the device lifecycle.
  await db.schema
    .alterTable('lot')
    .addColumn('build_code', code, (c) => c.references('build.code'))
    .execute();
  await db.schema.alterTable('lot').addColumn('build_serial', 'integer').execute();
  await db.schema.alterTable('lot').addColumn('unit_state', 'text').execute();
  // Build serials are unique within a build: the database hands out no duplicate.
  await db.schema
    .createIndex('lot_build_serial')
    .on('lot')
    .columns(['build_code', 'build_serial'])
    .unique()
    .where('build_code', 'is not', null)
    .execute();

  // What caused a ledger entry (the build that consumed or produced, the unit installed into).
  await db.schema.alterTable('stock_entry').addColumn('ref_code', code).execute();

  // A stage completed for a set of units (ranges of build serials; none: the whole build).
  await db.schema
    .createTable('completion')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('build_code', code, (c) => c.notNull().references('build.code'))
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('operation', code, (c) => c.notNull())
    .addColumn('actor_code', code)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('completion_build')
    .on('completion')
    .columns(['build_code', 'stage'])
    .execute();
  await db.schema
    .createTable('completion_range')
    .addColumn('completion_id', 'bigint', (c) => c.notNull().references('completion.id'))
    .addColumn('from_serial', 'integer', (c) => c.notNull())
    .addColumn('to_serial', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('completion_range_pk', ['completion_id', 'from_serial'])
    .execute();

  // Exactly which lot went into which units, and how much.
  await db.schema
    .createTable('consumption')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('completion_id', 'bigint', (c) => c.notNull().references('completion.id'))
    .addColumn('build_code', code, (c) => c.notNull().references('build.code'))
    .addColumn('entry_no', 'integer', (c) => c.notNull())
    .addColumn('lot_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('quantity', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consumption_lot').on('consumption').column('lot_code').execute();
  await db.schema
    .createIndex('consumption_completion')
    .on('consumption')
    .column('completion_id')
    .execute();
  await db.schema.createIndex('consumption_build').on('consumption').column('build_code').execute();

  // A unit installed into another: one place at a time (a unique index on the open rows).
  await db.schema
    .createTable('installation')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('child_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('parent_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('entry_no', 'integer', (c) => c.notNull())
    .addColumn('installed_at', 'text', (c) => c.notNull())
    .addColumn('installed_by', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .addColumn('removed_by', 'text')
    .addColumn('removed_reason', 'text')
    .execute();
  await db.schema
    .createIndex('installation_child_open')
    .on('installation')
    .column('child_code')
    .unique()
    .where(sql.ref('removed_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('installation_child')
    .on('installation')
    .column('child_code')
    .execute();
  await db.schema
    .createIndex('installation_parent')
    .on('installation')
    .column('parent_code')
    .execute();
}
