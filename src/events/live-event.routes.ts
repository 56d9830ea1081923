import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parseEventId, parseEventTypes } from '../domain/live-events.js';
import type { LiveEventHub } from './live-event.service.js';
import { LiveEventQuery } from './live-event.schemas.js';

/** Live updates: server-sent events of the change log (docs/live-updates.md). */
export const liveEventRoutes: FastifyPluginAsyncZod<{ hub: LiveEventHub }> = async (
  app,
  { hub },
) => {
  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Live updates: a text/event-stream of the webhook events the caller may read',
        description:
          'Each event is `id: <site>.<record>.<n>` and `data: {"id","type","subjects","builds","at","actor","record"}`. ' +
          'First comes `event: ready` (its id is where the stream starts); `event: reset` means the stream ' +
          'could not resume from the id given and the client should refetch. Comments (`: keep-alive`) keep it open. ' +
          'A `Last-Event-ID` header (sent by EventSource when it reconnects) resumes after that event: the events missed since come first.',
        querystring: LiveEventQuery,
      },
    },
    async (req, reply) => {
      // Not declared in the schema: it is checked here, and the error names it as browsers send it.
      const header = [req.headers['last-event-id'] ?? []].flat().join(',') || undefined;
      const position =
        header !== undefined
          ? parseEventId(header, 'Last-Event-ID')
          : req.query.since !== undefined
            ? parseEventId(req.query.since, 'since')
            : undefined;
      const types = req.query.types === undefined ? undefined : parseEventTypes(req.query.types);
      const stream = await hub.open(req.actor, { position, types });
      // From here the answer is the stream, written by the hub until either side ends it.
      reply.hijack();
      const res = reply.raw;
      // The headers set so far (the request id) go out with the stream's own.
      const set = Object.entries(reply.getHeaders()).filter(([, v]) => v !== undefined);
      res.writeHead(200, {
        ...(Object.fromEntries(set) as Record<string, string | number | string[]>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx would otherwise hold events back to fill its buffer.
        'x-accel-buffering': 'no',
      });
      res.on('close', () => stream.close());
      stream.attach({
        write: (text) => void res.write(text),
        end: () => res.end(),
        buffered: () => res.writableLength,
      });
      if (res.destroyed) stream.close();
    },
  );
};
