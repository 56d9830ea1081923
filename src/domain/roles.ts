/**
 * Who may do what. `site` is for API keys only: another site's key, which may sync with this
 * one and do nothing else (docs/sites.md).
 */
export const ROLES = ['admin', 'editor', 'viewer', 'site'] as const;
export type Role = (typeof ROLES)[number];

/** The roles a person (a user) may have. */
export const USER_ROLES = ['admin', 'editor', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Who makes a change. Every ledger and history entry records it. */
export interface Actor {
  /** Code of the user or API key; null for the local command line. */
  code: string | null;
  /** Display name at the time of writing, e.g. `alice`, `key:test-station-3`, `cli:root`. */
  name: string;
  role: Role;
}

export function canWrite(role: Role): boolean {
  return role === 'admin' || role === 'editor';
}
