import { z } from 'zod';
import { Name, UnitRefs } from '../domain/common.schemas.js';
import { ZPL_DPIS } from '../domain/label-media.js';
import { LABEL_CONTENTS, LABEL_SYMBOLOGIES } from '../domain/label-template.js';

/** The most labels one request prints (a 10,000-unit build prints in pages of its units). */
export const MAX_LABELS = 5000;

const CustomSize = z.object({ widthMm: z.number(), heightMm: z.number() });
const Media = z
  .union([z.string().max(40), CustomSize])
  .describe('a preset id (GET /label-media) or a custom size in millimetres');
const TextLine = z.object({
  parts: z
    .array(z.union([z.string().max(120), z.object({ text: z.string().max(200) })]))
    .describe(
      'fields (shortCode, code, partName, mpn, buildSerial, customerSerial, lotName, date, custom:<key>) and { text }',
    ),
  sizePt: z.number().optional().describe('font size; without it the layout picks one'),
  bold: z.boolean().optional(),
});

/** A template's layout; the whole is checked by validateLabelTemplate (src/domain). */
export const LabelDefinition = z.object({
  media: Media,
  symbology: z.enum(LABEL_SYMBOLOGIES),
  content: z
    .enum(LABEL_CONTENTS)
    .default('url')
    .describe('url: the unit page URL, which any phone camera opens; code: the bare code'),
  lines: z.array(TextLine).max(12),
});

export const LabelTemplateCreate = z.strictObject({
  name: Name,
  ...LabelDefinition.shape,
});
export type LabelTemplateCreate = z.input<typeof LabelTemplateCreate>;

export const LabelTemplateUpdate = z.strictObject({
  name: Name.optional(),
  media: Media.optional(),
  symbology: z.enum(LABEL_SYMBOLOGIES).optional(),
  content: z.enum(LABEL_CONTENTS).optional(),
  lines: z.array(TextLine).max(12).optional(),
  archived: z.boolean().optional(),
});
export type LabelTemplateUpdate = z.input<typeof LabelTemplateUpdate>;

export const LabelTemplate = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  ...LabelDefinition.shape,
  archived: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LabelTemplate = z.infer<typeof LabelTemplate>;

export const LabelTemplateQuery = z.object({
  archived: z.enum(['true', 'false', 'any']).default('false'),
});

export const LabelMediaItem = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['roll', 'sheet']),
  widthMm: z.number(),
  heightMm: z.number(),
  labelsPerPage: z.number(),
  defaultTemplate: LabelDefinition,
});

export const PrintRequest = z
  .strictObject({
    template: z
      .string()
      .max(200)
      .optional()
      .describe("a template's code or name; without it, the media's default layout"),
    media: z.string().max(40).optional().describe('without a template: the preset to print on'),
    symbology: z
      .enum(LABEL_SYMBOLOGIES)
      .optional()
      .describe('without a template: default datamatrix'),
    format: z.enum(['pdf', 'zpl']).default('pdf'),
    codes: z
      .array(z.string().max(200))
      .max(MAX_LABELS)
      .default([])
      .describe('objects to label: units and lots get their full label, others code and name'),
    build: z
      .string()
      .max(200)
      .optional()
      .describe('every unit of this build, in build-serial order (or those named by units)'),
    units: UnitRefs.max(MAX_LABELS)
      .optional()
      .describe(
        'with build: only these units — build serials, ranges ({from, to}), or what names a unit: code, short code, <build>-<n>, customer serial',
      ),
    shipment: z.string().max(200).optional().describe('every unit of this shipment'),
    startPosition: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('sheets: the first free label (1 = top left), to use up a partly used sheet'),
    dpi: z
      .union(ZPL_DPIS.map((d) => z.literal(d)) as [z.ZodLiteral<203>, z.ZodLiteral<300>])
      .default(203)
      .describe('ZPL: the printer resolution'),
  })
  .describe('Give codes, a build or a shipment (or several: their labels follow one another).');
export type PrintRequest = z.input<typeof PrintRequest>;
