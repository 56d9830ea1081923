import { z } from 'zod';
import { MAX_FIELD_KEY_LENGTH } from '../domain/attributes.js';
import { MAX_BUILD_UNITS, Name, Paging, UnitRefs, page } from '../domain/common.schemas.js';
import {
  MAX_PATTERN_LENGTH,
  SERIAL_RESETS,
  SERIAL_SCOPES,
  SERIAL_TARGETS,
} from '../domain/serial-format.js';

const Ref = z.string().max(200);
const FieldName = z.string().trim().min(1).max(MAX_FIELD_KEY_LENGTH);

export const SerialFormatCreate = z.strictObject({
  name: Name,
  pattern: z
    .string()
    .max(MAX_PATTERN_LENGTH)
    .describe('literal text and {YYYY} {YY} {MM} {DD} {WW} {SEQ:n} {BUILD} {N}'),
  scope: z
    .enum(SERIAL_SCOPES)
    .default('global')
    .describe('count and keep unique per part or globally'),
  part: Ref.optional().describe('only units of this part may get serials of the format'),
  reset: z.enum(SERIAL_RESETS).default('never').describe('when the counter starts again at 1'),
  target: z
    .enum(SERIAL_TARGETS)
    .default('name')
    .describe("where the serial is written on the unit's lot"),
  fieldName: FieldName.optional().describe('the custom field, when target is field'),
});
export type SerialFormatCreate = z.input<typeof SerialFormatCreate>;

/** The pattern, scope and reset never change: serials already given were made from them. */
export const SerialFormatUpdate = z.strictObject({
  name: Name.optional(),
  target: z.enum(SERIAL_TARGETS).optional(),
  fieldName: FieldName.optional(),
  archived: z.boolean().optional(),
});
export type SerialFormatUpdate = z.input<typeof SerialFormatUpdate>;

export const SerialFormat = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  pattern: z.string(),
  scope: z.enum(SERIAL_SCOPES),
  part: z.object({ code: z.string(), name: z.string() }).nullable(),
  reset: z.enum(SERIAL_RESETS),
  target: z.enum(SERIAL_TARGETS),
  fieldName: z.string(),
  archived: z.boolean(),
  assigned: z.number().describe('serials given so far'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SerialFormat = z.infer<typeof SerialFormat>;

export const SerialFormatQuery = Paging.extend({
  q: z.string().max(200).optional().describe('name or pattern contains'),
  archived: z.enum(['true', 'false', 'all']).default('false'),
});
export type SerialFormatQuery = z.input<typeof SerialFormatQuery>;
export const SerialFormatPage = page(SerialFormat);
export type SerialFormatPage = z.infer<typeof SerialFormatPage>;

/** Preview of a pattern (saved or not): changes nothing, consumes no number. */
export const SerialPreviewRequest = z.strictObject({
  pattern: z.string().max(MAX_PATTERN_LENGTH),
  reset: z.enum(SERIAL_RESETS).default('never'),
  count: z.number().int().min(1).max(20).default(3),
});
export const SerialPreviewQuery = z.object({
  count: z.coerce.number().int().min(1).max(20).default(3),
  part: Ref.optional().describe('for a per-part format: the part whose counter to show'),
});
export const SerialPreview = z.object({
  serials: z.array(z.string()),
  note: z.string().describe('what the example values are'),
});
export type SerialPreview = z.infer<typeof SerialPreview>;

export const AssignSerials = z.strictObject({
  build: Ref.optional().describe('the build whose units get serials'),
  units: UnitRefs.min(1)
    .max(MAX_BUILD_UNITS)
    .optional()
    .describe(
      'build serials or ranges ({from, to}) of the build, or unit codes; default: every unit of the build without a serial of this format',
    ),
});
export type AssignSerials = z.input<typeof AssignSerials>;

export const AssignedSerial = z.object({
  unit: z.string(),
  buildSerial: z.number().nullable(),
  serial: z.string(),
});
export const AssignResult = z.object({
  format: z.object({ code: z.string(), name: z.string() }),
  assigned: z.number(),
  skipped: z.number().describe('chosen units that had a serial of this format already'),
  items: z.array(AssignedSerial).describe('the first 1000 serials given, in unit order'),
});
export type AssignResult = z.infer<typeof AssignResult>;

export const UnitSerial = z.object({
  format: z.object({ code: z.string(), name: z.string() }),
  serial: z.string(),
  assignedAt: z.string(),
});
export type UnitSerial = z.infer<typeof UnitSerial>;
