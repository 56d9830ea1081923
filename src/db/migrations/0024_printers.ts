import { sql, type Kysely } from 'kysely';
import { codeType } from './helpers.js';

// Printing to printers (docs/printers.md):
// - printer: a ZPL printer on raw TCP (host:9100) or an IPP printer (ipp://…) of this site;
// - print_job: what was sent where, queued → sent or failed with the printer's reason; its
//   labels' objects in print_job_object, by which a reprint (an object labelled before) is found;
// - print_claim: which server is sending a queued job now, so that two servers on one database
//   never send the same job twice. Operational, like login_throttle: not in the change log.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  await db.schema
    .createTable('printer')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('site_id', code, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('dpi', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('printer_name')
    .on('printer')
    .expression(sql`lower(name)`)
    .unique()
    .execute();

  await db.schema
    .createTable('print_job')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('printer_code', code, (c) => c.notNull().references('printer.code'))
    .addColumn('template_code', code)
    .addColumn('media', 'text')
    .addColumn('symbology', 'text')
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('copies', 'integer', (c) => c.notNull())
    .addColumn('label_count', 'integer', (c) => c.notNull())
    .addColumn('reprint', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by_code', code)
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('queued_by_code', code)
    .addColumn('queued_by_name', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema
    .createIndex('print_job_status')
    .on('print_job')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('print_job_printer')
    .on('print_job')
    .columns(['printer_code', 'created_at'])
    .execute();

  await db.schema
    .createTable('print_job_object')
    .addColumn('job_code', code, (c) => c.notNull().references('print_job.code'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('object_code', code, (c) => c.notNull())
    .addPrimaryKeyConstraint('print_job_object_pk', ['job_code', 'position'])
    .execute();
  await db.schema
    .createIndex('print_job_object_object')
    .on('print_job_object')
    .column('object_code')
    .execute();

  await db.schema
    .createTable('print_claim')
    .addColumn('job_code', code, (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .execute();
}
