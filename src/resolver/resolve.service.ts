import type { Context } from '../context.js';
import { parseCodeOrPrefix, prefixUpperBound, shortCode } from '../domain/code.js';
import { AmbiguousCodeError, NotFoundError } from '../domain/errors.js';
import { findCodesInRange, type CodeMatch } from './resolve.repository.js';
import type { Resolved } from './resolve.schemas.js';

/** How many candidates an ambiguous prefix lists (per kind). */
export const MAX_CANDIDATES = 10;

/**
 * Turns scanned or typed text into the one object it names. A prefix that matches several
 * objects is an AmbiguousCodeError listing them: never a guess.
 */
export async function resolve(ctx: Context, text: string): Promise<Resolved> {
  const parsed = parseCodeOrPrefix(text, 'q');
  if (parsed.type === 'code') {
    // '0' sorts below every other code character: [code, code + '0') holds only the code.
    const [match] = await findCodesInRange(ctx.db, parsed.code, `${parsed.code}0`, 1);
    if (!match) throw new NotFoundError('code', parsed.code, 'q');
    return toResolved(match, 'code');
  }
  const matches = await findCodesInRange(
    ctx.db,
    parsed.prefix,
    prefixUpperBound(parsed.prefix),
    MAX_CANDIDATES,
  );
  if (matches.length === 0) throw new NotFoundError('nothing with code prefix', parsed.prefix, 'q');
  if (matches.length > 1) {
    throw new AmbiguousCodeError(
      parsed.prefix,
      matches.map((m) => ({ kind: m.kind, code: m.code, name: m.name })),
    );
  }
  return toResolved(matches[0]!, 'prefix');
}

function toResolved(match: CodeMatch, matchedBy: Resolved['matchedBy']): Resolved {
  return {
    kind: match.kind,
    code: match.code,
    shortCode: shortCode(match.code),
    name: match.name,
    url: `/c/${match.code}`,
    matchedBy,
  };
}
