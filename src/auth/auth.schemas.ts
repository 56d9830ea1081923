import { z } from 'zod';
import { ROLES, USER_ROLES } from '../domain/roles.js';

export const Username = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.@-]+$/, 'may hold letters, digits and . _ @ - only');
export const Password = z.string().min(8).max(200);

export const User = z.object({
  code: z.string(),
  username: z.string(),
  role: z.enum(USER_ROLES),
  disabled: z.boolean(),
  createdAt: z.string(),
  sso: z
    .boolean()
    .describe('signs in through the single sign-on provider: no password here (docs/sso.md)'),
  failedLogins: z.number().int().describe('failed logins of the last hour (or since locked)'),
  locked: z.boolean().describe('locked after too many failed logins until an admin unlocks it'),
});
export type User = z.infer<typeof User>;

export const UserCreate = z.strictObject({
  username: Username,
  role: z.enum(USER_ROLES).default('viewer'),
  password: Password.optional().describe('default: a random password, returned once'),
});
export type UserCreate = z.input<typeof UserCreate>;

export const UserUpdate = z.strictObject({
  role: z.enum(USER_ROLES).optional(),
  password: Password.optional(),
  disabled: z.boolean().optional(),
});
export type UserUpdate = z.input<typeof UserUpdate>;

export const UserCreated = z.object({
  user: User,
  password: z.string().optional().describe('the generated password, shown only this once'),
});
export type UserCreated = z.infer<typeof UserCreated>;

export const PasswordReset = z.object({
  user: User,
  password: z.string().describe('the new generated password, shown only this once'),
});
export type PasswordReset = z.infer<typeof PasswordReset>;

export const ApiKey = z.object({
  code: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyCreate = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
});
export type ApiKeyCreate = z.input<typeof ApiKeyCreate>;

export const ApiKeyCreated = z.object({
  apiKey: ApiKey,
  key: z.string().describe('send as `Authorization: Bearer <key>`; shown only this once'),
});
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const Login = z.strictObject({
  username: z.string().max(64),
  password: z.string().max(200),
});
export type Login = z.input<typeof Login>;

export const Me = z.object({
  code: z.string().nullable(),
  name: z.string(),
  role: z.enum(ROLES),
  via: z.enum(['session', 'api_key']),
});
export type Me = z.infer<typeof Me>;
