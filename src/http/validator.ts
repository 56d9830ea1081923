import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { safeParse, validationErrorOf } from '../domain/validate.js';

/**
 * Checks a request's body, query or path against its route's zod schema. A problem becomes the
 * same ValidationError the services throw, so both read alike ("limit: must be a whole
 * number"), and a value of the wrong type is not called missing.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = safeParse(schema, data);
    if (result.success) return { value: result.data };
    return { error: validationErrorOf(result.error, '', httpPart ?? 'request') };
  };
