import { sql, type Kysely } from 'kysely';
import { codeType } from './helpers.js';

// Labels and scanning (docs/labels.md):
// - a part's GTIN (14 digits) for GS1 UDI labels; unique, so a scanned GTIN names one part;
// - supplier part numbers (Digi-Key's 296-…-ND, LCSC's C2040, …) by which a distributor's bag
//   label finds the part before its MPN is tried; one part per (supplier, SKU);
// - label templates: a name and a JSON definition checked by src/domain/label-template.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  await db.schema.alterTable('part').addColumn('gtin', 'text').execute();
  // NULLs are distinct on both databases: parts without a GTIN do not collide.
  await db.schema.createIndex('part_gtin').on('part').column('gtin').unique().execute();

  await db.schema
    .createTable('supplier_part')
    .addColumn('part_code', code, (c) => c.notNull().references('part.code'))
    .addColumn('supplier', 'text', (c) => c.notNull())
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // One part per supplier and number, the supplier in any case ("Digi-Key", "digi-key").
  await db.schema
    .createIndex('supplier_part_unique')
    .on('supplier_part')
    .expression(sql`lower(supplier), sku`)
    .unique()
    .execute();
  await db.schema.createIndex('supplier_part_sku').on('supplier_part').column('sku').execute();
  await db.schema
    .createIndex('supplier_part_part')
    .on('supplier_part')
    .column('part_code')
    .execute();

  await db.schema
    .createTable('label_template')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Names are unique in any case, like locations' and serial formats'.
  await db.schema
    .createIndex('label_template_name')
    .on('label_template')
    .expression(sql`lower(name)`)
    .unique()
    .execute();
}
