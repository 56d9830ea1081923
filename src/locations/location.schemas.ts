import { z } from 'zod';
import { CustomFields, Name, Paging, Tags, Text, page } from '../domain/common.schemas.js';
import { SiteBrief } from '../sites/site.schemas.js';

export const LocationCreate = z.strictObject({
  name: Name.describe('unique, ignoring case'),
  description: Text.default(''),
  tags: Tags.default([]),
  customFields: CustomFields.default({}),
});
export type LocationCreate = z.input<typeof LocationCreate>;

export const LocationUpdate = z.strictObject({
  name: Name.optional(),
  description: Text.optional(),
  tags: Tags.optional(),
  customFields: CustomFields.optional(),
  archived: z.boolean().optional(),
});
export type LocationUpdate = z.input<typeof LocationUpdate>;

export const Location = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  description: z.string(),
  archived: z.boolean(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.string()),
  site: SiteBrief.describe('the site that moves stock here'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Location = z.infer<typeof Location>;

export const LocationQuery = Paging.extend({
  q: z.string().max(200).optional().describe('matches name, tag or custom field value'),
  tag: z.string().max(64).optional(),
  archived: z.enum(['true', 'false', 'any']).default('false'),
});
export type LocationQuery = z.input<typeof LocationQuery>;

export const LocationPage = page(Location);
export type LocationPage = z.infer<typeof LocationPage>;
