import { ValidationError } from './errors.js';
import { USER_ROLES, type UserRole } from './roles.js';

/**
 * Single sign-on (docs/sso.md): which Tracelot role the claims of an OpenID provider give a user.
 * A claim (e.g. `groups`, or `realm_access.roles` for a nested one) holds one value or a list; a
 * mapping names the role of each value that counts. Several matching values: the highest role.
 */
export type RoleMapping = ReadonlyMap<string, UserRole>;

/** Highest first: of several matching values, the first role found here wins. */
const RANK: readonly UserRole[] = ['admin', 'editor', 'viewer'];

const MAX_MAPPING_ENTRIES = 100;

/**
 * Reads `value=role` pairs separated by commas (`tracelot-admins=admin,staff=viewer`), or a JSON
 * object `{"value": "role"}` for values that hold commas (LDAP names: `CN=Admins,OU=…`). In the
 * pair form the role follows the last `=`, so a value may hold `=` itself.
 */
export function parseRoleMapping(text: string, field = 'oidc-roles'): RoleMapping {
  const trimmed = text.trim();
  let pairs: [string, string][];
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new ValidationError(field, 'not a JSON object of claim value → role');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ValidationError(field, 'not a JSON object of claim value → role');
    pairs = Object.entries(parsed).map(([k, v]) => [k, String(v)]);
  } else {
    pairs = trimmed
      .split(',')
      .filter((pair) => pair.trim() !== '')
      .map((pair) => {
        const at = pair.lastIndexOf('=');
        if (at < 0)
          throw new ValidationError(field, `'${pair.trim()}' is not <claim value>=<role>`);
        return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      });
  }
  if (pairs.length === 0) throw new ValidationError(field, 'maps no claim value to a role');
  if (pairs.length > MAX_MAPPING_ENTRIES)
    throw new ValidationError(field, `more than ${MAX_MAPPING_ENTRIES} claim values`);
  const mapping = new Map<string, UserRole>();
  for (const [value, role] of pairs) {
    if (value === '') throw new ValidationError(field, `an empty claim value maps to '${role}'`);
    if (!(USER_ROLES as readonly string[]).includes(role))
      throw new ValidationError(
        field,
        `'${value}' maps to '${role}', not a role (${USER_ROLES.join(', ')})`,
      );
    mapping.set(value, role as UserRole);
  }
  return mapping;
}

/** The claim's values as strings: a string, a number or boolean, or a list of them. */
export function claimValues(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claims[claim];
  // A nested claim (Keycloak's realm_access.roles) when no claim has the dotted name itself.
  if (value === undefined && claim.includes('.')) {
    value = claim.split('.').reduce<unknown>((at, key) => {
      return typeof at === 'object' && at !== null && !Array.isArray(at)
        ? (at as Record<string, unknown>)[key]
        : undefined;
    }, claims);
  }
  const list = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  return list
    .filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(String);
}

/** The role the claims give (the highest of the mapped values), or undefined: no login. */
export function roleFromClaims(
  claims: Record<string, unknown>,
  claim: string,
  mapping: RoleMapping,
): { role: UserRole | undefined; values: string[] } {
  const values = claimValues(claims, claim);
  const roles = new Set(values.map((v) => mapping.get(v)).filter((r) => r !== undefined));
  return { role: RANK.find((r) => roles.has(r)), values };
}

/** Usernames of this form only (as auth.schemas' Username): letters, digits and . _ @ -. */
const USERNAME = /^[\w.@-]{1,64}$/;

/**
 * The names a new user may take, in order: `preferred_username`, then `email`. Only names a
 * local user could have; a user is known by the provider's subject, so the name is only shown.
 */
export function usernameCandidates(claims: Record<string, unknown>): string[] {
  return [claims.preferred_username, claims.email]
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter((v, i, all) => USERNAME.test(v) && all.indexOf(v) === i);
}

/** Where to go after logging in: only a path of this site, never another origin. */
export function safeReturnPath(next: string | undefined | null, fallback = '/parts'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return fallback;
  // Control characters (a line break in a Location header) and over-long paths: the fallback.
  // eslint-disable-next-line no-control-regex
  if (next.length > 2000 || /[\u0000-\u001f\u007f]/.test(next)) return fallback;
  return next;
}
