import type { Context } from '../context.js';
import { parseCodeOrPrefix, prefixUpperBound, shortCode } from '../domain/code.js';
import { AmbiguousCodeError, NotFoundError, ValidationError } from '../domain/errors.js';
import { lotsWithSerial } from '../serials/serial.repository.js';
import {
  findByCode,
  findCodesInRange,
  findLotByCode,
  type CodeMatch,
} from './resolve.repository.js';
import type { Resolved } from './resolve.schemas.js';

/** How many candidates an ambiguous prefix lists. */
export const MAX_CANDIDATES = 10;

/**
 * Turns scanned or typed text into the one object it names. A prefix that matches several
 * objects is an AmbiguousCodeError listing them: never a guess.
 */
export async function resolve(ctx: Context, text: string): Promise<Resolved> {
  try {
    return await resolveCode(ctx, text);
  } catch (error) {
    // Text that is no code, or a code that names nothing, may be a unit's customer serial.
    if (!(error instanceof NotFoundError || error instanceof ValidationError)) throw error;
    const unit = await resolveSerial(ctx, text);
    if (unit) return unit;
    throw error;
  }
}

/** The unit whose customer serial is the text (any case); several units: never a guess. */
async function resolveSerial(ctx: Context, text: string): Promise<Resolved | undefined> {
  const serial = text.trim();
  if (!serial || serial.length > 200) return undefined;
  const rows = await lotsWithSerial(ctx.db, serial, MAX_CANDIDATES + 1);
  const lots = [...new Set(rows.map((r) => r.lot_code))];
  const matches = (await Promise.all(lots.map((code) => findLotByCode(ctx.db, code)))).filter(
    (m): m is CodeMatch => m !== undefined,
  );
  if (matches.length > 1)
    throw new AmbiguousCodeError(
      serial,
      matches.slice(0, MAX_CANDIDATES).map(candidate),
      matches.length > MAX_CANDIDATES,
    );
  return matches[0] && toResolved(matches[0], 'serial');
}

async function resolveCode(ctx: Context, text: string): Promise<Resolved> {
  const parsed = parseCodeOrPrefix(text, 'q');
  if (parsed.type === 'code') {
    const match =
      (await findLotByCode(ctx.db, parsed.code)) ?? (await findByCode(ctx.db, parsed.code));
    if (!match)
      throw new NotFoundError('code', parsed.code, 'q', `nothing has the code '${parsed.code}'`);
    return toResolved(match, 'code');
  }
  const upper = prefixUpperBound(parsed.prefix);
  const matches = await findCodesInRange(ctx.db, parsed.prefix, upper, MAX_CANDIDATES + 1);
  if (matches.length === 0) {
    throw new NotFoundError('prefix', parsed.prefix, 'q', `no code starts with '${parsed.prefix}'`);
  }
  if (matches.length > 1) {
    const listed = matches.slice(0, MAX_CANDIDATES);
    throw new AmbiguousCodeError(
      parsed.prefix,
      listed.map(candidate),
      matches.length > MAX_CANDIDATES,
    );
  }
  return toResolved(matches[0]!, 'prefix');
}

function candidate(match: CodeMatch) {
  return { kind: match.kind, code: match.code, name: match.name };
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
