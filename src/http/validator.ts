import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import {
  isScannedText,
  refuseControlCharacters,
  refuseControlCharactersInLines,
} from '../domain/control-characters.js';
import { ValidationError } from '../domain/errors.js';
import { safeParse, validationErrorOf } from '../domain/validate.js';

/**
 * Checks a request's body, query or path against its route's zod schema. A problem becomes the
 * same ValidationError the services throw, so both read alike ("limit: must be a whole
 * number"), and a value of the wrong type is not called missing. Control characters are
 * refused in every text first (see refuseControlCharacters), whatever the schema says.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  const scanned = (path: string[]) => path.length === 1 && isScannedText(shape?.[path[0]!]);
  return (data) => {
    const refused = controlCharacterError(data, scanned);
    if (refused) return { error: refused };
    const result = safeParse(schema, data);
    if (result.success) return { value: result.data };
    return { error: validationErrorOf(result.error, '', httpPart ?? 'request') };
  };
};

/**
 * The control-character check alone, for routes whose services validate the rest (a text body,
 * a CSV file, is named by its line).
 */
export const controlCharacterValidator: FastifySchemaCompiler<unknown> = () => (data) => {
  const refused = controlCharacterError(data);
  return refused ? { error: refused } : { value: data };
};

function controlCharacterError(
  data: unknown,
  scanned?: (path: string[]) => boolean,
): ValidationError | undefined {
  try {
    if (typeof data === 'string') refuseControlCharactersInLines(data, 'body');
    else refuseControlCharacters(data, '', scanned);
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
}
