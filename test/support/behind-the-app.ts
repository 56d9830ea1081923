import { unloggedWrites } from '../../src/db/change-log.js';

/**
 * Runs writes a test makes behind the application's back — tampering that an audit or a check
 * must detect, a restored backup, a constraint tested on its own — which the change guard would
 * otherwise refuse (src/db/change-log.ts noteWrite). Never for setting up data: use the services.
 */
export function behindTheApp<T>(fn: () => Promise<T>): Promise<T> {
  return unloggedWrites('a test changing the database behind the application', fn);
}
