import { sql, type Kysely } from 'kysely';

// A build's scrapped units, found without visiting every unit of the build.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('lot_scrapped_unit')
    .on('lot')
    .columns(['build_code', 'build_serial'])
    .where(sql.ref('unit_state'), '=', sql.lit('scrapped'))
    .execute();
}
