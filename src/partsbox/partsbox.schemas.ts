import { z } from 'zod';

/**
 * The records of a PartsBox account as its API lists them (https://partsbox.com/api.html), the
 * keys this import reads; other keys are ignored. docs/partsbox.md maps each to Tracelot.
 */

const Id = z.string().trim().min(1).max(200);
const Name = z.string().trim().min(1).max(200);
const Opt = z.string().nullish();
/** Optional text keys. */
const texts = <K extends string>(...keys: K[]) =>
  Object.fromEntries(keys.map((k) => [k, Opt])) as Record<K, typeof Opt>;
/** Values of any JSON type; each becomes text (see fieldsOf). */
const Attributes = {
  tags: z.array(z.string()).nullish(),
  'custom-fields': z.record(z.string(), z.unknown()).nullish(),
};

type Keyed<P extends string, S> = { [K in keyof S & string as `${P}/${K}`]: S[K] };

/** A PartsBox record: its keys are namespaced by its kind (`part/name`); others pass through. */
function record<P extends string, S extends z.ZodRawShape>(prefix: P, shape: S) {
  const keyed = Object.fromEntries(Object.entries(shape).map(([k, v]) => [`${prefix}/${k}`, v]));
  return z.looseObject(keyed as Keyed<P, S>);
}

export const PbStockEntry = record('stock', {
  ...texts('storage-id', 'lot-id', 'status', 'comments', 'order-id'),
  quantity: z.number(),
  timestamp: z.number().int(),
});
export type PbStockEntry = z.infer<typeof PbStockEntry>;

export const PbPart = record('part', {
  id: Id,
  ...texts('name', 'type', 'description', 'notes', 'footprint', 'manufacturer', 'mpn'),
  ...Attributes,
  stock: z.array(PbStockEntry).nullish(),
});
export type PbPart = z.infer<typeof PbPart>;

export const PbStorage = record('storage', {
  id: Id,
  ...texts('description', 'comments'),
  name: Name,
  archived: z.boolean().nullish(),
  ...Attributes,
});
export type PbStorage = z.infer<typeof PbStorage>;

export const PbLot = record('lot', {
  id: Id,
  ...texts('name', 'description', 'comments', 'order-id'),
  'expiration-date': z.number().int().nullish(),
  ...Attributes,
});
export type PbLot = z.infer<typeof PbLot>;

export const PbEntry = record('entry', {
  ...texts('id', 'part-id', 'name', 'comments'),
  quantity: z.number(),
  designators: z.union([z.array(z.string()), z.string()]).nullish(),
});
export type PbEntry = z.infer<typeof PbEntry>;

export const PbProject = record('project', {
  id: Id,
  ...texts('description', 'notes'),
  name: Name,
  ...Attributes,
  /** Not a PartsBox key: the `data` of project/get-entries, added by the export script. */
  entries: z.array(PbEntry).nullish(),
});
export type PbProject = z.infer<typeof PbProject>;

export const PbBuild = record('build', {
  id: Id,
  ...texts('project-id', 'comments'),
  quantity: z.number().nullish(),
});
export type PbBuild = z.infer<typeof PbBuild>;

export const PbOrder = record('order', {
  id: Id,
  ...texts('vendor-name', 'number', 'po-number'),
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
