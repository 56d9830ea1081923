import { sql, type Kysely } from 'kysely';
import { isPostgres } from './helpers.js';

// A balance may stand below zero, and only through a merge of sites (docs/sites.md "Merge
// rules"): a unit scrapped at one site and shipped at another apart (a restored backup) took
// it out twice, and the ledger, which merges by union, says so until a person resolves the
// conflict, whose correcting entries bring it back. Every operation of this site still takes
// out only what a balance holds: the guard is the decrease statement (`quantity >= n`, in
// ledger.repository.ts), never this constraint, which goes.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table stock_balance drop constraint if exists stock_balance_quantity_check`.execute(
      db,
    );
    return;
  }
  // SQLite drops a constraint only by making the table again.
  await sql`create table stock_balance_merged (
    lot_code text not null references lot (code),
    location_code text not null references location (code),
    status text not null,
    part_code text not null references part (code),
    quantity bigint not null,
    constraint stock_balance_pk primary key (lot_code, location_code, status))`.execute(db);
  await sql`insert into stock_balance_merged (lot_code, location_code, status, part_code, quantity)
    select lot_code, location_code, status, part_code, quantity from stock_balance`.execute(db);
  await sql`drop table stock_balance`.execute(db);
  await sql`alter table stock_balance_merged rename to stock_balance`.execute(db);
  await sql`create index stock_balance_part on stock_balance (part_code)`.execute(db);
  await sql`create index stock_balance_location on stock_balance (location_code)`.execute(db);
  await sql`create index stock_balance_aside on stock_balance (lot_code, status)
    where status in ('held', 'rejected') and quantity > 0`.execute(db);
}
