import { z } from 'zod';
import { Paging, page } from '../domain/common.schemas.js';

export const CONFLICT_KINDS = [
  'unit_state',
  'customer_serial',
  'installation',
  'shipment',
] as const;

/** One side of a conflict: the change record that made it, and the row it left. */
const Side = z.object({
  change: z.string().describe('the change record that wrote this side'),
  site: z.string().nullable().describe('the site of that record (its name), if it is known here'),
  at: z.string().nullable().describe('when that record was written'),
  actor: z.string().nullable().describe('who wrote it'),
  row: z.record(z.string(), z.unknown()).describe('the row as this side left it'),
});

export const Conflict = z.object({
  code: z.string(),
  kind: z.enum(CONFLICT_KINDS),
  subject: z.string().describe('the object it is about (a unit)'),
  table: z.string(),
  detectedAt: z.string().describe('when the later of the two records was written'),
  kept: Side.describe('the side in effect: the earlier serial or installation, the later edit'),
  other: Side.describe('the side not in effect, kept here so that nothing is lost'),
  resolution: z
    .object({ at: z.string(), by: z.string(), keep: z.enum(['kept', 'other']), note: z.string() })
    .nullable(),
});
export type Conflict = z.infer<typeof Conflict>;

export const ConflictQuery = Paging.extend({
  all: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .default(false)
    .transform((v) => v === true || v === 'true')
    .describe('true: resolved conflicts too'),
});
export type ConflictQuery = z.input<typeof ConflictQuery>;

export const ConflictPage = page(Conflict);
export type ConflictPage = z.infer<typeof ConflictPage>;

export const ResolveConflict = z.strictObject({
  keep: z
    .enum(['kept', 'other'])
    .describe(
      'which side stands: the one in effect, or the other (then make it so with the usual operations: reverse the shipment, return or scrap the unit)',
    ),
  note: z.string().trim().min(1).max(1000).describe('why: kept in the history'),
});
export type ResolveConflict = z.input<typeof ResolveConflict>;
