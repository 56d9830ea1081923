import { z } from 'zod';
import { Shortage } from '../domain/common.schemas.js';
import { PICKING } from '../domain/picking.js';

/** Hand-chosen lots in a query: `entry=lot[:quantity]`, separated by commas. */
export const MAX_PICK_CHOICES = 200;

export const PickListQuery = z.object({
  stage: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('one stage only; default: every stage, for the units still missing it'),
  format: z
    .enum(['json', 'csv', 'pdf'])
    .default('json')
    .describe('csv (text/csv) or pdf (application/pdf): a download instead of JSON'),
  lots: z
    .string()
    .max(20_000)
    .optional()
    .describe(
      'lots chosen by hand: entry=lot or entry=lot:quantity, separated by commas (e.g. 3=3f7k2m9q,5=0h4x8c1d:200); their entries take these lots instead of the picking rule',
    ),
});
export type PickListQuery = z.input<typeof PickListQuery>;

const PartSummary = z.object({ code: z.string(), name: z.string(), unit: z.string() });

export const PickLine = z.object({
  stage: z.number(),
  entryNo: z.number(),
  part: PartSummary.describe('the part taken (a substitute when the lot is of one)'),
  designators: z.string(),
  lot: z.object({
    code: z.string(),
    shortCode: z.string(),
    name: z.string(),
    vendorLot: z.string(),
    dateCode: z.string(),
    expiry: z.string().nullable(),
    receivedAt: z.string().describe('when the lot was received or made (FIFO order)'),
  }),
  quantity: z.number(),
  chosen: z.boolean().describe('the lot was chosen by hand'),
});
export type PickLine = z.infer<typeof PickLine>;

export const PickLocation = z.object({
  location: z.object({ code: z.string(), name: z.string() }),
  lines: z.array(PickLine),
});
export type PickLocation = z.infer<typeof PickLocation>;

export const PickChoice = z.object({
  stage: z.number(),
  entry: z.number(),
  lot: z.string(),
  quantity: z.number(),
});
export type PickChoice = z.infer<typeof PickChoice>;

export const PickList = z.object({
  build: z.object({
    code: z.string(),
    shortCode: z.string(),
    project: z.object({ code: z.string(), name: z.string() }),
  }),
  stage: z.number().nullable().describe('null: every stage'),
  picking: z.enum(PICKING),
  generatedAt: z.string(),
  stages: z
    .array(z.object({ stage: z.number(), units: z.number() }))
    .describe('the stages listed, each with the units still missing it'),
  locations: z
    .array(PickLocation)
    .describe('by location name; in each, by stage and entry, then in the order lots are taken'),
  shortages: z.array(Shortage),
  ok: z.boolean().describe('every entry is covered'),
  choices: z
    .array(PickChoice)
    .describe(
      "the lots of the list per stage and entry, as a stage completion's lots chosen by hand take them",
    ),
});
export type PickList = z.infer<typeof PickList>;
