import { z } from 'zod';
import { Name } from '../domain/common.schemas.js';

export const Site = z.object({
  id: z.string().describe('random, made when the instance was first migrated; never changes'),
  shortCode: z.string(),
  name: z.string(),
  local: z.boolean().describe('true for this instance; false for sites whose records came by sync'),
  records: z.number().int().describe('change records of the site this instance holds'),
  head: z.object({
    seq: z.number().int(),
    hash: z.string().describe('SHA-256 of the site’s last change record: its chain head'),
    hlc: z.string().describe('hybrid logical clock stamp of that record'),
  }),
});
export type Site = z.infer<typeof Site>;

/** A site as other objects name it. */
export const SiteBrief = z.object({
  id: z.string(),
  name: z.string(),
  local: z.boolean().describe('true when it is this instance'),
});
export type SiteBrief = z.infer<typeof SiteBrief>;

export const SiteList = z.object({ items: z.array(Site) });
export type SiteList = z.infer<typeof SiteList>;

export const SiteUpdate = z.strictObject({ name: Name });
export type SiteUpdate = z.input<typeof SiteUpdate>;
