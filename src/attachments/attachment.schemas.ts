import { z } from 'zod';
import { Actor } from '../domain/common.schemas.js';
import { MEDIA_TYPES } from '../domain/media-type.js';

/** Object kinds that may carry attachments. */
export const ATTACHABLE_KINDS = [
  'lot',
  'part',
  'build',
  'project',
  'location',
  'service_event',
] as const;

export const MAX_NOTE_LENGTH = 2000;
export const MAX_REASON_LENGTH = 500;

export const UploadQuery = z.object({
  subject: z
    .string()
    .max(200)
    .describe('code of the lot, part, build, project, location or service event'),
  name: z
    .string()
    .max(1000)
    .describe('original file name, for display; path components are dropped'),
  note: z.string().max(MAX_NOTE_LENGTH).default(''),
});
export type UploadQuery = z.input<typeof UploadQuery>;

export const ListQuery = z.object({
  subject: z.string().max(200),
  removed: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .default(false)
    .describe('true: removed attachments too (admins only)'),
});
export type ListQuery = z.input<typeof ListQuery>;

export const RemoveRequest = z.object({
  reason: z.string().trim().min(1).max(MAX_REASON_LENGTH),
});
export type RemoveRequest = z.input<typeof RemoveRequest>;

export const Attachment = z.object({
  code: z.string(),
  shortCode: z.string(),
  subjectCode: z.string(),
  fileName: z.string(),
  mediaType: z.enum(MEDIA_TYPES),
  size: z.number().int(),
  sha256: z.string(),
  note: z.string(),
  createdBy: Actor,
  createdAt: z.string(),
  removed: z
    .object({ at: z.string(), by: z.string(), reason: z.string() })
    .nullable()
    .describe('set when removed: the file stays retrievable by admins'),
  url: z.string().describe('path of the content'),
});
export type Attachment = z.infer<typeof Attachment>;
