import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody, ErrorDetail } from '../domain/common.schemas.js';
import {
  AmbiguousCodeError,
  BusyError,
  ShortBuildError,
  TooManyAttemptsError,
  TracelotError,
} from '../domain/errors.js';
import {
  isDatabaseUnavailable,
  isStorageFull,
  isTransactionCollision,
  violatedUnique,
} from '../db/errors.js';

/** The one place where errors become HTTP answers: `{ error: { code, message, field? } }`. */
const STATUS: Record<string, number> = {
  validation_error: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  insufficient_stock: 409,
  ambiguous_code: 409,
  payload_too_large: 413,
  busy: 503,
  too_many_attempts: 429,
};

export function errorResponse(
  thrown: unknown,
  request: FastifyRequest,
): { status: number; body: ErrorDetail } {
  // A collision outside a retried transaction (a lone statement, a caller's own transaction).
  // A database that cannot be reached (PostgreSQL restarting): 503, to be tried again shortly.
  const error = isTransactionCollision(thrown)
    ? new BusyError()
    : isDatabaseUnavailable(thrown)
      ? new BusyError('the database cannot be reached right now; try again shortly', 2)
      : thrown;
  if (error instanceof TracelotError) {
    const body: ErrorDetail = { code: error.code, message: error.message };
    if (error.field) body.field = error.field;
    if (error instanceof AmbiguousCodeError) body.candidates = error.candidates;
    if (error instanceof ShortBuildError) body.shortages = error.shortages;
    return { status: STATUS[error.code] ?? 400, body };
  }
  if (violatedUnique(error) !== undefined) {
    return {
      status: 409,
      body: { code: 'conflict', message: 'conflicts with a record that exists already' },
    };
  }
  if (isStorageFull(error)) {
    request.log.error({ err: error }, 'storage full: nothing of the request was saved');
    return {
      status: 507,
      body: {
        code: 'insufficient_storage',
        message:
          "the server's storage is full, so nothing was saved: free space on the server's disk (or database) and try again",
      },
    };
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code =
      status === 413
        ? 'payload_too_large'
        : status === 415
          ? 'unsupported_media_type'
          : 'bad_request';
    return { status, body: { code, message: fastifyError.message, field: 'body' } };
  }
  request.log.error({ err: error }, 'request failed');
  return {
    status: 500,
    body: { code: 'internal_error', message: 'internal error; the server log has the details' },
  };
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = errorResponse(error, request);
  const retryAfter =
    error instanceof BusyError || error instanceof TooManyAttemptsError
      ? error.retryAfterSeconds
      : isDatabaseUnavailable(error)
        ? 2
        : undefined;
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  const answer: ErrorBody = { error: body };
  return reply.code(status).send(answer);
}
