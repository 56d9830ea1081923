import { z } from 'zod';

/** The version of the export directory's layout; an import reads only this one. */
export const EXPORT_FORMAT_VERSION = 1;

export const MANIFEST_FILE = 'manifest.json';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

/**
 * `manifest.json` of an export directory: what it holds and how to check it. Written last, so
 * a directory without one is an export that did not finish.
 */
export const Manifest = z.strictObject({
  formatVersion: z.number().int(),
  tracelotVersion: z.string(),
  /** The schema's last migration: an import needs a build whose last migration is the same. */
  migration: z.string(),
  site: z.strictObject({ id: z.string(), name: z.string() }),
  /** The exporting site's chain head: the import's audit verify must end at the same. */
  head: z.strictObject({ seq: z.number().int(), hash: Sha256 }),
  exportedAt: z.string(),
  /** Per table, in the order an import inserts them: `<table>.jsonl`'s rows and SHA-256. */
  tables: z.array(z.strictObject({ table: z.string(), rows: z.number().int(), sha256: Sha256 })),
  /** `files/<sha256>`: the attachment files, each named by its content's hash. */
  files: z.strictObject({ count: z.number().int(), bytes: z.number().int() }),
});
export type Manifest = z.infer<typeof Manifest>;
