import type { Role } from '@domain/roles.js';
import { ROLE_LABELS } from '../format.js';

/** The `<option>`s of a role select: users' roles, or an API key's (which may be a site's). */
export function RoleOptions({ roles }: { roles: readonly Role[] }) {
  return roles.map((role) => (
    <option key={role} value={role}>
      {ROLE_LABELS[role]}
    </option>
  ));
}
