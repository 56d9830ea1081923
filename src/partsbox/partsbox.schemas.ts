import { z } from 'zod';

/**
 * The records of a PartsBox account as its API lists them (https://partsbox.com/api.html), the
 * keys this import reads; other keys are ignored. docs/partsbox.md maps each to Tracelot.
 */

const Id = z.string().trim().min(1).max(200);
const Opt = z.string().nullish();
const Millis = z.number().int().nullish();
const Tags = z.array(z.string()).nullish();
/** Values of any JSON type; each becomes text (see fieldText). */
const CustomFields = z.record(z.string(), z.unknown()).nullish();

export const PbStockEntry = z.looseObject({
  'stock/quantity': z.number(),
  'stock/storage-id': Opt,
  'stock/lot-id': Opt,
  'stock/status': Opt,
  'stock/timestamp': z.number().int(),
  'stock/comments': Opt,
  'stock/order-id': Opt,
});
export type PbStockEntry = z.infer<typeof PbStockEntry>;

export const PbPart = z.looseObject({
  'part/id': Id,
  'part/name': Opt,
  'part/type': Opt,
  'part/description': Opt,
  'part/notes': Opt,
  'part/footprint': Opt,
  'part/manufacturer': Opt,
  'part/mpn': Opt,
  'part/tags': Tags,
  'part/custom-fields': CustomFields,
  'part/stock': z.array(PbStockEntry).nullish(),
});
export type PbPart = z.infer<typeof PbPart>;

export const PbStorage = z.looseObject({
  'storage/id': Id,
  'storage/name': z.string().trim().min(1).max(200),
  'storage/description': Opt,
  'storage/comments': Opt,
  'storage/archived': z.boolean().nullish(),
  'storage/tags': Tags,
  'storage/custom-fields': CustomFields,
});
export type PbStorage = z.infer<typeof PbStorage>;

export const PbLot = z.looseObject({
  'lot/id': Id,
  'lot/name': Opt,
  'lot/description': Opt,
  'lot/comments': Opt,
  'lot/expiration-date': Millis,
  'lot/order-id': Opt,
  'lot/tags': Tags,
  'lot/custom-fields': CustomFields,
});
export type PbLot = z.infer<typeof PbLot>;

export const PbEntry = z.looseObject({
  'entry/id': Opt,
  'entry/part-id': Opt,
  'entry/quantity': z.number(),
  'entry/name': Opt,
  'entry/comments': Opt,
  'entry/designators': z.union([z.array(z.string()), z.string()]).nullish(),
});
export type PbEntry = z.infer<typeof PbEntry>;

export const PbProject = z.looseObject({
  'project/id': Id,
  'project/name': z.string().trim().min(1).max(200),
  'project/description': Opt,
  'project/notes': Opt,
  'project/tags': Tags,
  'project/custom-fields': CustomFields,
  /** Not a PartsBox key: the `data` of project/get-entries, added by the export script. */
  'project/entries': z.array(PbEntry).nullish(),
});
export type PbProject = z.infer<typeof PbProject>;

export const PbBuild = z.looseObject({
  'build/id': Id,
  'build/project-id': Opt,
  'build/quantity': z.number().nullish(),
  'build/comments': Opt,
});
export type PbBuild = z.infer<typeof PbBuild>;

export const PbOrder = z.looseObject({
  'order/id': Id,
  'order/vendor-name': Opt,
  'order/number': Opt,
  'order/po-number': Opt,
});
export type PbOrder = z.infer<typeof PbOrder>;

/** The files of an export directory, each the `data` of one API listing. */
export const PARTSBOX_FILES = {
  storage: { file: 'storage.json', schema: PbStorage, id: 'storage/id' },
  part: { file: 'part.json', schema: PbPart, id: 'part/id' },
  lot: { file: 'lot.json', schema: PbLot, id: 'lot/id' },
  project: { file: 'project.json', schema: PbProject, id: 'project/id' },
  build: { file: 'build.json', schema: PbBuild, id: 'build/id' },
  order: { file: 'order.json', schema: PbOrder, id: 'order/id' },
} as const;
export type PartsboxKind = keyof typeof PARTSBOX_FILES;

export interface PartsboxExport {
  storage: PbStorage[];
  part: PbPart[];
  lot: PbLot[];
  project: PbProject[];
  build: PbBuild[];
  order: PbOrder[];
}

/** Kinds of object the report counts. */
export const REPORT_KINDS = [
  'storage',
  'part',
  'lot',
  'stock',
  'project',
  'bom',
  'build',
  'order',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const PartsboxReport = z.object({
  imported: z.record(z.enum(REPORT_KINDS), z.number()),
  skipped: z.array(
    z.object({ kind: z.enum(REPORT_KINDS), id: z.string(), name: z.string(), reason: z.string() }),
  ),
  newCodes: z
    .array(z.object({ kind: z.enum(REPORT_KINDS), id: z.string(), code: z.string() }))
    .describe('PartsBox ids that are no Tracelot codes, and the code each got instead'),
});
export type PartsboxReport = z.infer<typeof PartsboxReport>;
