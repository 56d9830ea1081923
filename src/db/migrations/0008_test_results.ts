import { type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { codeType, serialType } from './helpers.js';

// Test templates per part and test results per unit (docs/tests.md). Limits and measured numbers
// are canonical decimal text: a station's value is kept digit for digit (no double rounding, no
// fixed number of decimals as millionths would impose), and verdicts are judged in the
// application when a result is recorded, so SQL never compares them.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  const serial = serialType(db);
  const text = (c: ColumnDefinitionBuilder) => c.notNull().defaultTo('');

  await db.schema
    .createTable('test_template')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', text)
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('value_type', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', text)
    .addColumn('min', 'text')
    .addColumn('max', 'text')
    .addColumn('requires_attachment', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // A key names one test of a part, for good: stations upload by key.
  await db.schema
    .createIndex('test_template_part_key')
    .on('test_template')
    .columns(['part_code', 'key'])
    .unique()
    .execute();

  // Results are many and never labelled: an id, no code. Append-only.
  await db.schema
    .createTable('test_result')
    .addColumn('id', serial, (c) => c.primaryKey())
    .addColumn('lot_code', code, (c) => c.notNull().references('lot.code'))
    .addColumn('template_code', code, (c) => c.references('test_template.code'))
    .addColumn('key', 'text', text)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('value_number', 'text')
    .addColumn('value_text', 'text')
    .addColumn('extra_values', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('station', 'text', text)
    .addColumn('operator', 'text', text)
    .addColumn('started_at', 'text')
    .addColumn('ended_at', 'text')
    // When the test happened: ended_at, else started_at, else recorded_at. The latest result
    // of a unit's test (by tested_at, then id) decides its status for that test.
    .addColumn('tested_at', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', text)
    .addColumn('attachment_code', code)
    .addColumn('actor_code', code)
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('test_result_lot')
    .on('test_result')
    .columns(['lot_code', 'template_code', 'tested_at', 'id'])
    .execute();

  await db.schema
    .alterTable('project')
    .addColumn('require_tests_passed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
