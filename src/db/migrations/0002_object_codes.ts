import { sql, type Kysely } from 'kysely';
import { codeType, isPostgres } from './helpers.js';

// Every code any object carries, whatever its kind: codes are unique across kinds by this
// primary key, and the resolver finds any object with one index lookup. Databases made by
// 0001 already hold parts, locations and lots: their codes are registered here.
// Released migrations are never edited: add a new file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  let objectCode = db.schema
    .createTable('object_code')
    .addColumn('code', codeType(db), (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull());
  if (!isPostgres(db)) objectCode = objectCode.modifyEnd(sql`without rowid`);
  await objectCode.execute();
  await sql`insert into object_code (code, kind)
    select code, 'part' from part
    union all select code, 'location' from location
    union all select code, 'lot' from lot`.execute(db);
}
