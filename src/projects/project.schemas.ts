import { z } from 'zod';
import { BOM_FIELDS, BOM_FORMATS, MAX_BOM_FILE_BYTES, MAX_BOM_LINES } from '../domain/bom-csv.js';
import {
  CustomFields,
  Name,
  Paging,
  Quantity,
  Tags,
  Text,
  page,
} from '../domain/common.schemas.js';
import { MAX_STAGE, MAX_STAGE_NAME } from '../domain/bom-stage.js';
import { UNITS } from '../domain/quantity.js';
import { PART_KINDS } from '../parts/part.schemas.js';
import { SignatureInput, SignatureShown } from '../signatures/signature.schemas.js';

const Ref = z.string().max(200);

export const ProjectCreate = z.strictObject({
  name: Name,
  description: Text.default(''),
  notes: Text.default(''),
  part: Ref.optional().describe(
    'code of the part its builds produce; default: a new sub_assembly part named after the project',
  ),
  tags: Tags.default([]),
  customFields: CustomFields.default({}),
});
export type ProjectCreate = z.input<typeof ProjectCreate>;

export const ProjectUpdate = z.strictObject({
  name: Name.optional(),
  description: Text.optional(),
  notes: Text.optional(),
  part: Ref.optional().describe('code of the part its builds produce'),
  tags: Tags.optional(),
  customFields: CustomFields.optional(),
  archived: z.boolean().optional(),
  requireTestsPassed: z
    .boolean()
    .optional()
    .describe('units become available only when every required test passed (or by override)'),
});
export type ProjectUpdate = z.input<typeof ProjectUpdate>;

export const PartSummary = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  mpn: z.string(),
  unit: z.enum(UNITS),
});
export type PartSummary = z.infer<typeof PartSummary>;

export const Project = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  description: z.string(),
  notes: z.string(),
  part: PartSummary.extend({ kind: z.enum(PART_KINDS) }).describe(
    'the sub-assembly part its builds produce',
  ),
  archived: z.boolean(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.string()),
  bomEntries: z.number().int().describe('number of BOM entries'),
  requireTestsPassed: z.boolean(),
  bomRevision: z
    .number()
    .int()
    .describe('the BOM’s revision: raised by the first change after a build used it'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Project = z.infer<typeof Project>;

export const ProjectQuery = Paging.extend({
  q: z
    .string()
    .max(200)
    .optional()
    .describe('matches name, description, tag, custom field value or code'),
  tag: z.string().max(64).optional(),
  archived: z.enum(['true', 'false', 'any']).default('false'),
});
export type ProjectQuery = z.input<typeof ProjectQuery>;

export const ProjectPage = page(Project);
export type ProjectPage = z.infer<typeof ProjectPage>;

/** The most entries one BOM may have (and one import may bring). */
export const MAX_BOM_ENTRIES = MAX_BOM_LINES;

export const BomEntryInput = z.strictObject({
  part: Ref.describe('part code'),
  quantity: Quantity.describe('per unit built, in the part’s unit; 0 only for DNP entries'),
  designators: z
    .union([z.string().max(100_000), z.array(z.string().max(50)).max(10_000)])
    .default([])
    .describe('e.g. ["R1", "R2"] or "R1, R2" or "R1-R4"'),
  substitutes: z
    .array(Ref)
    .max(50)
    .default([])
    .describe('codes of parts usable instead, in order of preference'),
  allowSubstitutes: z.boolean().default(true),
  dnp: z.boolean().default(false).describe('do not populate: never consumed'),
  stage: z.number().int().min(1).max(MAX_STAGE).default(1),
  comments: z.string().max(2000).default(''),
  attritionPercent: Quantity.default(0).describe(
    'extra share of the need, e.g. "2.5" for 2.5 %; 0–100, at most 4 decimals',
  ),
  attritionFixed: Quantity.default(0).describe('extra quantity per stage completion'),
});
export type BomEntryInput = z.input<typeof BomEntryInput>;

export const BomReplace = z.strictObject({
  entries: z.array(BomEntryInput).max(MAX_BOM_ENTRIES),
});
export type BomReplace = z.input<typeof BomReplace>;

export const BomEntryCreate = BomEntryInput.extend({
  position: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('where to insert (1 = first); default: at the end'),
});
export type BomEntryCreate = z.input<typeof BomEntryCreate>;

export const BomEntryUpdate = z.strictObject({
  part: Ref.optional(),
  quantity: Quantity.optional(),
  designators: z
    .union([z.string().max(100_000), z.array(z.string().max(50)).max(10_000)])
    .optional(),
  substitutes: z.array(Ref).max(50).optional(),
  allowSubstitutes: z.boolean().optional(),
  dnp: z.boolean().optional(),
  stage: z.number().int().min(1).max(MAX_STAGE).optional(),
  comments: z.string().max(2000).optional(),
  attritionPercent: Quantity.optional(),
  attritionFixed: Quantity.optional(),
  position: z.number().int().min(1).optional().describe('move the entry to this position'),
});
export type BomEntryUpdate = z.input<typeof BomEntryUpdate>;

export const EntryParams = z.object({
  code: z.string().max(200),
  position: z.coerce.number().int().min(1).max(MAX_BOM_ENTRIES),
});

export const BomEntry = z.object({
  position: z.number().int(),
  part: PartSummary,
  quantity: z.number().describe('per unit built'),
  designators: z.array(z.string()),
  substitutes: z.array(PartSummary),
  allowSubstitutes: z.boolean(),
  dnp: z.boolean(),
  stage: z.number().int(),
  comments: z.string(),
  attritionPercent: z.number(),
  attritionFixed: z.number(),
});
export type BomEntry = z.infer<typeof BomEntry>;

export const BomStage = z.object({
  stage: z.number().int(),
  name: z.string().describe('empty when the stage has no name'),
  documentation: z.boolean().describe('the stage places no parts'),
  entries: z.number().int().describe('BOM entries on the stage'),
});
export type BomStage = z.infer<typeof BomStage>;

export const BomApproval = z.object({
  revision: z.number().int(),
  by: z.object({ code: z.string().nullable(), name: z.string() }),
  at: z.string(),
  note: z.string(),
  signature: SignatureShown.nullable().describe('the electronic signature of the approval'),
});
export type BomApproval = z.infer<typeof BomApproval>;

export const BomApprovalRequest = z.strictObject({
  revision: z
    .number()
    .int()
    .min(1)
    .describe('the revision approved: must be the current one (the BOM the approver reviewed)'),
  note: z.string().trim().max(1000).default(''),
  signature: SignatureInput.optional().describe('signs the approval (required when configured)'),
});
export type BomApprovalRequest = z.input<typeof BomApprovalRequest>;

export const Bom = z.object({
  project: z.object({ code: z.string(), shortCode: z.string(), name: z.string() }),
  revision: z.number().int().describe('the BOM’s revision'),
  approval: BomApproval.nullable().describe('the approval of this revision; null: not approved'),
  stages: z.array(BomStage).describe('named stages and the stages entries use, in stage order'),
  entries: z.array(BomEntry),
});
export type Bom = z.infer<typeof Bom>;

export const BomStageAssign = z.strictObject({
  positions: z
    .array(z.number().int().min(1).max(MAX_BOM_ENTRIES))
    .min(1)
    .max(MAX_BOM_ENTRIES)
    .describe('positions of the entries to move (1 = first)'),
  stage: z.number().int().min(1).max(MAX_STAGE),
});
export type BomStageAssign = z.input<typeof BomStageAssign>;

const StageName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_STAGE_NAME)
  .describe('e.g. "SMT", "Hand solder", "Test"');

export const StageCreate = z.strictObject({
  name: StageName,
  stage: z
    .number()
    .int()
    .min(1)
    .max(MAX_STAGE)
    .optional()
    .describe('its number; default: after the last stage'),
  documentation: z.boolean().default(false).describe('the stage places no parts'),
});
export type StageCreate = z.input<typeof StageCreate>;

export const StageUpdate = z.strictObject({
  name: StageName.optional(),
  documentation: z.boolean().optional(),
});
export type StageUpdate = z.input<typeof StageUpdate>;

export const StageParams = z.object({
  code: z.string().max(200),
  stage: z.coerce.number().int().min(1).max(MAX_STAGE),
});
export const BomImportRequest = z.strictObject({
  csv: z
    .string()
    .max(2 * MAX_BOM_FILE_BYTES)
    .describe(`the file's text (UTF-8); at most 2 MB and ${MAX_BOM_LINES} lines`),
  mapping: z
    .record(z.string().max(200), z.string().max(40))
    .optional()
    .describe(
      `column name in the file → field (${BOM_FIELDS.join(', ')}); other columns are recognised by their names`,
    ),
  createParts: z
    .boolean()
    .default(false)
    .describe('create a component part for each line no part matches'),
  commit: z
    .boolean()
    .default(false)
    .describe('false: preview only, nothing changes; true: replace the BOM, all or nothing'),
});
export type BomImportRequest = z.input<typeof BomImportRequest>;

export const MATCH_KINDS = ['part', 'mpn', 'value_footprint', 'new'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export const BomImportLine = z.object({
  line: z.number().int().describe('line of the file'),
  designators: z.array(z.string()),
  quantity: z.number().nullable(),
  value: z.string(),
  footprint: z.string(),
  mpn: z.string(),
  manufacturer: z.string(),
  description: z.string(),
  dnp: z.boolean(),
  stage: z.number().int().describe('0 while a stage named in the file is still to be created'),
  stageName: z.string().describe('the stage’s name, when the file names it'),
  comments: z.string(),
  matchedBy: z
    .enum(MATCH_KINDS)
    .nullable()
    .describe('how the part was found: a part column, the MPN, value + footprint; new: created'),
  part: PartSummary.nullable().describe('the part; null when none matches (or not created yet)'),
  newPartName: z.string().nullable().describe('the name of the part created for this line'),
  problems: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type BomImportLine = z.infer<typeof BomImportLine>;

export const BomImportResult = z.object({
  committed: z.boolean(),
  ready: z.boolean().describe('whether committing this file (with these options) would succeed'),
  format: z.enum(BOM_FORMATS),
  delimiter: z.enum([',', ';', '\t']),
  headerLine: z.number().int(),
  columns: z.record(z.string(), z.string()).describe('field → column of the file'),
  ignoredColumns: z.array(z.string()),
  lines: z.array(BomImportLine),
  unmatched: z.array(
    z.object({
      line: z.number().int(),
      reference: z.string(),
      value: z.string(),
      footprint: z.string(),
      mpn: z.string(),
    }),
  ),
  summary: z.object({
    lines: z.number().int(),
    matched: z.number().int(),
    unmatched: z.number().int(),
    newParts: z.number().int().describe('parts created (or to create, in a preview)'),
    problems: z.number().int().describe('lines with problems'),
  }),
  createdParts: z.array(PartSummary),
  bom: Bom.nullable().describe('the BOM after a commit'),
});
export type BomImportResult = z.infer<typeof BomImportResult>;

export const BomFileErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    problems: z
      .array(z.object({ line: z.number().int(), message: z.string() }))
      .optional()
      .describe('every offending line of a refused file (line 0: the file as a whole)'),
  }),
});
