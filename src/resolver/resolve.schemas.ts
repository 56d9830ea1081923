import { scannedText } from '../domain/control-characters.js';
import { z } from 'zod';
import { OBJECT_KINDS } from '../domain/object-kind.js';

export const ResolveQuery = z.object({
  q: scannedText(
    z
      .string()
      .max(2000)
      .describe(
        'anything scanned or typed: code, prefix of 4–25 characters, URL, UUID, `<build short code>-<n>`, customer serial',
      ),
  ),
});

export const Resolved = z.object({
  kind: z.enum(OBJECT_KINDS),
  code: z.string(),
  shortCode: z.string(),
  name: z.string().describe('for a lot: its name, or its part name when it has none'),
  url: z.string().describe('path of the object page in the web UI'),
  matchedBy: z
    .enum(['code', 'prefix', 'build_serial', 'serial', 'gs1', 'label', 'name'])
    .describe(
      "build_serial: `<build short code>-<n>`, the unit's build serial; serial: its customer serial; gs1: a UDI label; label: a distributor bag label (the part); name: the object's name, where the kind is known (the CLI's project, part, location, … arguments)",
    ),
});
export type Resolved = z.infer<typeof Resolved>;
