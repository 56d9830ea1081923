import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming request id may be: a short token, safe in a log line and a header. */
const SAFE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The id of a request: the client's (or its proxy's) `x-request-id` when it is a safe short
 * token, else a new random one. Every log line of the request carries it (`reqId`), the answer
 * returns it in `x-request-id`, and an error answer in its body's `requestId`, for a user to quote.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SAFE_ID.test(given)
    ? given
    : randomBytes(9).toString('base64url');
}

/** Returns the request id with every answer: a header, and a field of every error body. */
export function registerRequestId(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // Errors answered by the error handler and by routes themselves alike: `{ error: {…} }`.
  app.addHook('preSerialization', (request, reply, payload, done) => {
    if (reply.statusCode >= 400 && isErrorBody(payload)) payload.requestId = request.id;
    done(null, payload);
  });
}

function isErrorBody(payload: unknown): payload is { error: object; requestId?: string } {
  const error = (payload as { error?: unknown } | null)?.error;
  return typeof error === 'object' && error !== null;
}
