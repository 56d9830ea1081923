import { z } from 'zod';
import { CustomFields, Name, Paging, Tags, Text, page } from '../domain/common.schemas.js';
import { UNITS } from '../domain/quantity.js';
import { PART_KINDS } from '../domain/part-kind.js';

export { PART_KINDS, type PartKind } from '../domain/part-kind.js';

export const Gtin = z
  .string()
  .max(20)
  .describe('GTIN-8, -12, -13 or -14 for GS1 UDI labels; stored as 14 digits, check digit checked');

export const SupplierPart = z.strictObject({
  supplier: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('as on its labels: Digi-Key, Mouser, LCSC, TME, …'),
  sku: z.string().trim().min(1).max(100).describe("the distributor's part number"),
});
export type SupplierPart = z.infer<typeof SupplierPart>;
const SupplierParts = z
  .array(SupplierPart)
  .max(50)
  .describe('distributor part numbers: a scanned bag label finds the part by them, then by MPN');

export const PartCreate = z.strictObject({
  name: Name,
  description: Text.default(''),
  manufacturer: z.string().max(200).default(''),
  mpn: z.string().max(200).default(''),
  kind: z.enum(PART_KINDS).default('component'),
  unit: z.enum(UNITS).default('pcs').describe('pcs are counted; other units allow fractions'),
  tags: Tags.default([]),
  customFields: CustomFields.default({}),
  gtin: Gtin.nullable().default(null),
  suppliers: SupplierParts.default([]),
});
export type PartCreate = z.input<typeof PartCreate>;

export const PartUpdate = z.strictObject({
  name: Name.optional(),
  description: Text.optional(),
  manufacturer: z.string().max(200).optional(),
  mpn: z.string().max(200).optional(),
  kind: z.enum(PART_KINDS).optional(),
  unit: z.enum(UNITS).optional(),
  tags: Tags.optional(),
  customFields: CustomFields.optional(),
  archived: z.boolean().optional(),
  gtin: Gtin.nullable().optional().describe('null removes it'),
  suppliers: SupplierParts.optional().describe('replaces the list'),
});
export type PartUpdate = z.input<typeof PartUpdate>;

export const Part = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  description: z.string(),
  manufacturer: z.string(),
  mpn: z.string(),
  kind: z.enum(PART_KINDS),
  unit: z.enum(UNITS),
  archived: z.boolean(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.string()),
  gtin: z.string().nullable(),
  suppliers: z.array(SupplierPart),
  onHand: z.number().describe('usable stock (status on_hand) across all lots and locations'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Part = z.infer<typeof Part>;

export const PartQuery = Paging.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .describe('matches name, MPN, manufacturer, tag or custom field value'),
  tag: z.string().max(64).optional(),
  archived: z.enum(['true', 'false', 'any']).default('false'),
});
export type PartQuery = z.input<typeof PartQuery>;

export const PartPage = page(Part);
export type PartPage = z.infer<typeof PartPage>;
