import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** Parses input with a zod schema; the first problem becomes a ValidationError naming the field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = '',
): z.output<S> {
  const result = safeParse(schema, input);
  if (result.success) return result.data;
  throw validationErrorOf(result.error, prefix);
}

/**
 * A zod parse whose issues carry the value given, so that a value of the wrong type is told
 * apart from a missing one.
 */
export function safeParse<S extends z.ZodType>(schema: S, input: unknown) {
  return schema.safeParse(input, { reportInput: true });
}

/** The first problem as a ValidationError naming the field (`whole` when it is the input itself). */
export function validationErrorOf(error: z.ZodError, prefix = '', whole = 'body'): ValidationError {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return new ValidationError(path || whole, issueMessage(issue));
}

/** What a value of the wrong type should have been, in words. */
const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  date: 'a date',
};

export function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? 'is required'
        : `must be ${EXPECTED[issue.expected] ?? issue.expected}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `must be at most ${String(issue.maximum)} characters`
        : issue.origin === 'array'
          ? `must have at most ${String(issue.maximum)} items`
          : `must be at most ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) === 1
          ? 'must not be empty'
          : `must be at least ${String(issue.minimum)} characters`
        : issue.origin === 'array'
          ? `must have at least ${String(issue.minimum)} items`
          : `must be at least ${String(issue.minimum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    default:
      return issue.message;
  }
}
