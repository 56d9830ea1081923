import type { Shortage } from './common.schemas.js';

/**
 * Typed errors of every layer. The HTTP layer maps them to status codes in one place
 * (src/http/error-handler.ts); the CLI prints their messages.
 */
export abstract class TracelotError extends Error {
  abstract readonly code: string;
  readonly field: string | undefined;
  /** The message without the field's name in front. */
  readonly reason: string;
  constructor(message: string, field?: string) {
    super(field ? `${field}: ${message}` : message);
    this.field = field;
    this.reason = message;
  }
}

/** Bad input: names the field and the reason. */
export class ValidationError extends TracelotError {
  readonly code = 'validation_error';
  constructor(field: string, reason: string) {
    super(reason, field);
  }
}

export class NotFoundError extends TracelotError {
  readonly code = 'not_found';
  /** `what` and `ref` make the message "part '1a2b…' not found", unless `message` is given. */
  constructor(what: string, ref: string, field?: string, message?: string) {
    super(message ?? `${what} '${ref}' not found`, field);
  }
}

/** The request is well-formed but conflicts with the stored state (a duplicate name, …). */
export class ConflictError extends TracelotError {
  readonly code: string = 'conflict';
}

export class InsufficientStockError extends ConflictError {
  override readonly code = 'insufficient_stock';
}

/** A build that is short of stock: nothing changed; the shortages say what is missing. */
export class ShortBuildError extends InsufficientStockError {
  constructor(readonly shortages: Shortage[]) {
    super(
      `short of stock: ${shortages
        .map(
          (s) =>
            `entry ${s.entryNo} (${s.part.name}) needs ${s.need} ${s.part.unit}, ${s.short} missing`,
        )
        .join('; ')}`,
      'quantity',
    );
  }
}

export interface Candidate {
  kind: string;
  code: string;
  name: string;
}

/** A prefix matched several objects: never guess, list them. */
export class AmbiguousCodeError extends ConflictError {
  override readonly code = 'ambiguous_code';
  constructor(
    text: string,
    readonly candidates: Candidate[],
    /** True when more objects match than are listed. */
    readonly more = false,
    field = 'q',
  ) {
    super(
      `'${text}' matches ${more ? 'more than ' : ''}${candidates.length} objects: ${
        text.length < 26 ? 'give more characters' : 'pick one'
      }`,
      field,
    );
  }
}

export class AuthenticationError extends TracelotError {
  readonly code = 'unauthenticated';
}

export class ForbiddenError extends TracelotError {
  readonly code = 'forbidden';
}

/**
 * Too much is in hand, nothing changed, and the same request may succeed after
 * `retryAfterSeconds` (503): by default the database refusing a transaction again and again for
 * colliding with others (PostgreSQL's deadlock or serialization failure); also a full label
 * render queue.
 */
export class BusyError extends TracelotError {
  readonly code = 'busy';
  constructor(
    message = 'the database is busy with changes to the same records; nothing changed: try again',
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

/** Too many failed logins: the next try must wait `retryAfterSeconds` (none: until unlocked). */
export class TooManyAttemptsError extends TracelotError {
  readonly code = 'too_many_attempts';
  constructor(
    message: string,
    field: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, field);
  }
}
