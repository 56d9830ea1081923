import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { codeType } from './helpers.js';

// Named BOM stages and BOM revisions (docs/builds.md). The integer stage stays the key of
// entries and completions; a stage's name and documentation flag live beside it. A build
// copies the project's stages and the BOM revision it started with, as it copies the entries,
// so renaming a stage or editing the BOM later never changes what a running build shows.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  const one = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(1);
  const zero = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo(0);

  await db.schema.alterTable('project').addColumn('bom_revision', 'integer', one).execute();
  await db.schema.alterTable('build').addColumn('bom_revision', 'integer', one).execute();

  await db.schema
    .createTable('project_stage')
    .addColumn('project_code', code, (c) => c.notNull().references('project.code'))
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('documentation', 'integer', zero)
    .addPrimaryKeyConstraint('project_stage_pk', ['project_code', 'stage'])
    .execute();

  await db.schema
    .createTable('build_stage')
    .addColumn('build_code', code, (c) => c.notNull().references('build.code'))
    .addColumn('stage', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('documentation', 'integer', zero)
    .addPrimaryKeyConstraint('build_stage_pk', ['build_code', 'stage'])
    .execute();
}
