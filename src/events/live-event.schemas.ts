import { z } from 'zod';

/** `?since=` and `?types=` of `GET /events`; both are read by the domain (parseEventId, parseEventTypes). */
export const LiveEventQuery = z.object({
  since: z
    .string()
    .max(100)
    .optional()
    .describe('resume after this event id (as Last-Event-ID; the header wins when both are sent)'),
  types: z
    .string()
    .max(400)
    .optional()
    .describe('only these event types, comma-separated (default: every type the caller may read)'),
});
