import { z } from 'zod';

export const SsoInfo = z.object({
  enabled: z.boolean().describe('whether users may sign in through an OpenID Connect provider'),
  label: z.string().nullable().describe('the provider as the login page names it'),
});
export type SsoInfo = z.infer<typeof SsoInfo>;

export const SsoStartQuery = z.strictObject({
  next: z.string().max(2000).optional().describe('a path of this site to show after signing in'),
});

/** What a provider sends back (RFC 6749 4.1.2, RFC 9207); openid-client checks it all. */
export const SsoCallbackQuery = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
