import { sql, type Kysely } from 'kysely';

// Corrections instead of edits (issue 11, docs/shipments.md and docs/tests.md): a shipment entered
// by mistake is reversed and a result recorded on the wrong unit is voided. Both stay, marked
// with who, when and why; nothing is deleted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('shipment').addColumn('reversed_at', 'text').execute();
  for (const column of ['reversed_by_code', 'reversed_by', 'reverse_reason']) {
    await db.schema.alterTable('shipment').addColumn(column, 'text').execute();
  }
  // Each row of a reversed shipment is closed by the reversal (not by a return), so that the
  // unit may ship again: the one-open-row index now leaves reversed rows out too.
  await db.schema.alterTable('shipment_unit').addColumn('reversed_at', 'text').execute();
  await db.schema.dropIndex('shipment_unit_open').execute();
  await db.schema
    .createIndex('shipment_unit_open')
    .on('shipment_unit')
    .column('lot_code')
    .unique()
    .where(sql.ref('returned_at'), 'is', null)
    .where(sql.ref('reversed_at'), 'is', null)
    .execute();

  for (const column of ['voided_at', 'voided_by_code', 'voided_by', 'void_reason']) {
    await db.schema.alterTable('test_result').addColumn(column, 'text').execute();
  }
  // A template's type may be corrected only while no result uses it: that count is one index range.
  await db.schema
    .createIndex('test_result_template')
    .on('test_result')
    .column('template_code')
    .execute();
}
