import { z } from 'zod';
import { SIGNATURE_MEANINGS } from '../domain/signature.js';
import { SIGNABLE_OPERATIONS } from '../domain/signature.js';

/** An electronic signature given with an operation: the signer's password again and a meaning. */
export const SignatureInput = z
  .strictObject({
    password: z.string().min(1).max(1000).describe("the signer's own password, entered again"),
    meaning: z.enum(SIGNATURE_MEANINGS).describe('what the signer declares'),
  })
  .describe(
    'an electronic signature (21 CFR 11.50): required when the operation is configured so; accepted for any signable operation',
  );
export type SignatureInput = z.infer<typeof SignatureInput>;

export const SignableOperationName = z.enum(SIGNABLE_OPERATIONS);

export const SignatureSettings = z.object({
  operations: z.array(
    z.object({
      operation: SignableOperationName,
      label: z.string(),
      required: z.boolean(),
      requiredSince: z.string().nullable(),
    }),
  ),
  meanings: z.array(z.enum(SIGNATURE_MEANINGS)),
});
export type SignatureSettings = z.infer<typeof SignatureSettings>;

export const SignatureSettingsUpdate = z.strictObject({
  require: z
    .array(SignableOperationName)
    .max(SIGNABLE_OPERATIONS.length * 2)
    .describe('the operations that require a signature; the others do not'),
});
export type SignatureSettingsUpdate = z.input<typeof SignatureSettingsUpdate>;

/** A signature as an approval or a release shows it: who signed, meaning what, when. */
export const SignatureShown = z.object({
  signer: z.string().describe("the signer's username"),
  meaning: z.enum(SIGNATURE_MEANINGS),
  at: z.string(),
  record: z.string().describe('the change record signed'),
});
export type SignatureShown = z.infer<typeof SignatureShown>;
