import type { Context } from '../context.js';
import {
  CODE_LENGTH,
  parseBuildSerial,
  parseCodeOrPrefix,
  prefixUpperBound,
  shortCode,
  type BuildSerialRef,
} from '../domain/code.js';
import { AmbiguousCodeError, NotFoundError, ValidationError } from '../domain/errors.js';
import { objectUrl } from '../domain/object-url.js';
import type { DistributorScan } from '../domain/scan/distributor-fields.js';
import { UDI_TEXT_MAX, type Gs1Data } from '../domain/scan/gs1.js';
import { recogniseScan } from '../domain/scan/scan.js';
import {
  findPartByGtin,
  partsWithMpn,
  partsWithSku,
  type PartRow,
} from '../parts/part.repository.js';
import {
  findByCode,
  findCodesInRange,
  findLotByCode,
  findLotsOfPartInRange,
  findUnitsWithBuildSerial,
  findUnitsWithSerial,
  findByName,
  isNamedKind,
  type CodeMatch,
} from './resolve.repository.js';
import type { ObjectKind } from '../domain/object-kind.js';
import type { Resolved } from './resolve.schemas.js';
import { hyphenlessLabelReadings, isLabelOf } from '../domain/unit-label.js';

/** How many candidates an ambiguous prefix lists. */
export const MAX_CANDIDATES = 10;

/**
 * Turns scanned or typed text into the one object it names: a code, a prefix, a URL ending in
 * a code, a unit's build serial (`<build short code>-<n>`), a unit's customer serial, a GS1
 * element string (a UDI label: the unit), or a distributor's bag label (the part). Several
 * matches are an AmbiguousCodeError listing them: never a guess.
 */
export async function resolve(ctx: Context, text: string, field = 'q'): Promise<Resolved> {
  const unit = parseBuildSerial(text);
  if (unit) return resolveBuildSerial(ctx, text, unit, field);
  const labelled = await resolveHyphenlessLabel(ctx, text, field);
  if (labelled) return labelled;
  try {
    return await resolveCode(ctx, text, field);
  } catch (error) {
    // Text that is no code, or a code that names nothing, may be a customer serial or a label.
    if (!(error instanceof NotFoundError || error instanceof ValidationError)) throw error;
    const unit = await resolveSerial(ctx, text, field);
    if (unit) return unit;
    const scanned = recogniseScan(text);
    if (scanned?.kind === 'gs1') return resolveGs1(ctx, scanned.gs1);
    if (scanned?.kind === 'distributor') {
      const part = await partOfLabel(ctx, scanned.scan);
      if (part) return toResolved({ kind: 'part', code: part.code, name: part.name }, 'label');
    }
    throw error;
  }
}

/**
 * The object of `kind` that the text names: as resolve() reads it, or by its name (any case)
 * for kinds that people name (parts, locations, projects, formats, templates). Objects of other
 * kinds are no candidates; several of this kind are an AmbiguousCodeError listing them. Text
 * that names only an object of another kind says which (`9zfpxjh4 is a location, not a build`).
 */
export async function resolveKind(
  ctx: Context,
  text: string,
  kind: ObjectKind,
  field: string,
): Promise<Resolved> {
  let read: Resolved | AmbiguousCodeError | NotFoundError | ValidationError;
  try {
    read = await resolve(ctx, text, field);
  } catch (error) {
    if (!(
      error instanceof AmbiguousCodeError ||
      error instanceof NotFoundError ||
      error instanceof ValidationError
    ))
      throw error;
    read = error;
  }
  const name = text.trim();
  const named =
    isNamedKind(kind) && name && name.length <= 200
      ? await findByName(ctx.db, kind, name, MAX_CANDIDATES + 1)
      : [];
  const candidates = new Map<string, Resolved>();
  if (read instanceof AmbiguousCodeError) {
    // A longer list than shown may hide more of this kind: only a complete one is filtered.
    if (read.more) throw read;
    for (const c of read.candidates)
      if (c.kind === kind) candidates.set(c.code, toResolved(c as CodeMatch, 'prefix'));
  } else if (!(read instanceof Error) && read.kind === kind) candidates.set(read.code, read);
  for (const match of named)
    if (!candidates.has(match.code)) candidates.set(match.code, toResolved(match, 'name'));
  const [one, ...more] = candidates.values();
  if (one && more.length === 0) return one;
  if (one) {
    const list = [...candidates.values()];
    throw new AmbiguousCodeError(
      name,
      list.slice(0, MAX_CANDIDATES).map(candidate),
      list.length > MAX_CANDIDATES,
      field,
    );
  }
  if (!(read instanceof Error))
    throw new ValidationError(
      field,
      `${read.shortCode} is a ${KIND_NAMES[read.kind]}, not a ${KIND_NAMES[kind]}`,
    );
  if (read instanceof AmbiguousCodeError || !isNamedKind(kind)) throw read;
  throw new NotFoundError(
    KIND_NAMES[kind],
    name,
    field,
    `no ${KIND_NAMES[kind]} has the code, short code or name '${name}'`,
  );
}

/** What people call each kind of object in messages. */
export const KIND_NAMES: Record<ObjectKind, string> = {
  part: 'part',
  location: 'location',
  lot: 'lot or unit',
  project: 'project',
  build: 'build',
  serial_format: 'serial format',
  shipment: 'shipment',
  service_event: 'service event',
  attachment: 'attachment',
  test_template: 'test template',
  label_template: 'label template',
};

/**
 * `945ks1m9-3`: unit 3 of the build whose code starts with 945ks1m9 (or `945ks1m91-1`, see
 * labelPrefix). Dropping the hyphen, the text is also the prefix 945ks1m93, and it may be a
 * customer serial: every reading that names something is a candidate (weighReadings).
 */
async function resolveBuildSerial(
  ctx: Context,
  text: string,
  ref: BuildSerialRef,
  field: string,
): Promise<Resolved> {
  const from = ref.build.type === 'code' ? ref.build.code : ref.build.prefix;
  const units = findUnitsWithBuildSerial(
    ctx.db,
    from,
    prefixUpperBound(from),
    ref.serial,
    MAX_CANDIDATES + 1,
  );
  const one = await weighReadings(ctx, text, units, field);
  const asCode = codeOrPrefixIn(text);
  if (one) return one;
  throw new NotFoundError(
    'unit',
    text,
    field,
    `no build whose code starts with '${from}' has a unit ${ref.serial}` +
      (asCode ? `, and no code starts with '${asCode}'` : ''),
  );
}

/**
 * `945ks1m93`: a unit's label with its hyphen dropped, as scanners and people type it. The
 * labels are made so that this text is never a prefix of the unit's own build's code
 * (labelPrefix); a reading names a unit only when its label is exactly the text. When none does,
 * undefined: the text is read as a code or prefix as before. When one does, every other reading
 * of the text (a code prefix, a customer serial) is a candidate too, and only one object among
 * them all is an answer.
 */
async function resolveHyphenlessLabel(
  ctx: Context,
  text: string,
  field: string,
): Promise<Resolved | undefined> {
  const readings = hyphenlessLabelReadings(text);
  if (readings.length === 0) return undefined;
  const limit = MAX_CANDIDATES + 1;
  const perReading = await Promise.all(
    readings.map(async (ref) => {
      const from = ref.build.type === 'code' ? ref.build.code : ref.build.prefix;
      const units = await findUnitsWithBuildSerial(
        ctx.db,
        from,
        prefixUpperBound(from),
        ref.serial,
        limit,
      );
      return units.filter((u) => isLabelOf(ref, u.build_code));
    }),
  );
  const units = perReading.flat();
  return units.length === 0 ? undefined : weighReadings(ctx, text, units, field);
}

/**
 * The one object among the units a label's text names and the other readings of that text:
 * the code prefix it is with its hyphen dropped, and a customer serial (`{BUILD}-{N}` formats
 * print the very same text). Several: an AmbiguousCodeError listing them; none: undefined.
 */
async function weighReadings(
  ctx: Context,
  text: string,
  units: CodeMatch[] | Promise<CodeMatch[]>,
  field: string,
): Promise<Resolved | undefined> {
  const limit = MAX_CANDIDATES + 1;
  const asCode = codeOrPrefixIn(text);
  const [byUnit, byCode, bySerial] = await Promise.all([
    units,
    asCode ? findCodesInRange(ctx.db, asCode, prefixUpperBound(asCode), limit) : [],
    findUnitsWithSerial(ctx.db, text.trim(), limit),
  ]);
  const found = new Map<string, Resolved>();
  for (const [matches, by] of [
    [byUnit, 'build_serial'],
    [byCode, asCode?.length === CODE_LENGTH ? 'code' : 'prefix'],
    [bySerial, 'serial'],
  ] as const)
    for (const match of matches)
      if (!found.has(match.code)) found.set(match.code, toResolved(match, by));
  if (found.size > 1)
    throw new AmbiguousCodeError(
      text.trim(),
      [...found.values()].slice(0, MAX_CANDIDATES).map(candidate),
      found.size > MAX_CANDIDATES,
      field,
    );
  const [one] = found.values();
  return one;
}

/** The unit whose customer serial is the text (any case); several units: never a guess. */
async function resolveSerial(
  ctx: Context,
  text: string,
  field: string,
): Promise<Resolved | undefined> {
  const serial = text.trim();
  if (!serial || serial.length > 200) return undefined;
  const matches = await findUnitsWithSerial(ctx.db, serial, MAX_CANDIDATES + 1);
  return oneOf(serial, matches, 'serial', field);
}

function oneOf(
  text: string,
  matches: CodeMatch[],
  matchedBy: Resolved['matchedBy'],
  field = 'q',
): Resolved | undefined {
  if (matches.length > 1)
    throw new AmbiguousCodeError(
      text,
      matches.slice(0, MAX_CANDIDATES).map(candidate),
      matches.length > MAX_CANDIDATES,
      field,
    );
  return matches[0] && toResolved(matches[0], matchedBy);
}

/**
 * What a GS1 element string names: the part with its GTIN (01), and with a serial (21) the unit
 * of that part whose customer serial it is, or whose code starts with it (UDI labels of units
 * without a customer serial carry the first 20 characters of the code). NotFoundError when the
 * GTIN or the serial names nothing.
 */
export async function resolveGs1(ctx: Context, gs1: Gs1Data): Promise<Resolved> {
  if (!gs1.gtin) throw new NotFoundError('GTIN', '', 'q', 'the GS1 data carries no GTIN (01)');
  const part = await findPartByGtin(ctx.db, gs1.gtin);
  if (!part) throw new NotFoundError('GTIN', gs1.gtin, 'q', `no part has the GTIN ${gs1.gtin}`);
  if (gs1.serial === undefined)
    return toResolved({ kind: 'part', code: part.code, name: part.name }, 'gs1');
  const bySerial = oneOf(
    gs1.serial,
    await findUnitsWithSerial(ctx.db, gs1.serial, MAX_CANDIDATES + 1, part.code),
    'gs1',
  );
  if (bySerial) return bySerial;
  // A unit without a customer serial carries its code's first UDI_TEXT_MAX characters: only
  // that, among the units of the GTIN's part, is taken for a code (never a shorter guess).
  const prefix = codeOrPrefixIn(gs1.serial);
  const byCode =
    prefix && prefix.length >= UDI_TEXT_MAX
      ? await findLotsOfPartInRange(ctx.db, part.code, prefix, prefixUpperBound(prefix), 2)
      : [];
  const unit = oneOf(gs1.serial, byCode, 'gs1');
  if (!unit)
    throw new NotFoundError(
      'unit',
      gs1.serial,
      'q',
      `no unit of ${part.name} has the serial '${gs1.serial}'`,
    );
  return unit;
}

/** The text read as a code or prefix (canonical), or undefined when it cannot be one. */
function codeOrPrefixIn(text: string): string | undefined {
  try {
    const parsed = parseCodeOrPrefix(text);
    return parsed.type === 'code' ? parsed.code : parsed.prefix;
  } catch {
    return undefined;
  }
}

/**
 * The part a distributor's bag label is for: by the distributor's part number, then by MPN;
 * undefined when none or several parts match (the receipt then asks which part).
 */
export async function partOfLabel(
  ctx: Context,
  label: DistributorScan,
): Promise<PartRow | undefined> {
  if (label.supplierPartNumber) {
    const bySku = await partsWithSku(ctx.db, label.supplierPartNumber, label.distributor);
    if (bySku.length === 1) return bySku[0];
  }
  if (label.mpn) {
    const byMpn = (await partsWithMpn(ctx.db, label.mpn)).filter((p) => p.archived === 0);
    if (byMpn.length === 1) return byMpn[0];
  }
  return undefined;
}

/**
 * The object a code, a prefix of 4–25 characters or a URL ending in a code names (codes only:
 * no serials, no labels); errors name `field`.
 */
export async function resolveCode(ctx: Context, text: string, field = 'q'): Promise<Resolved> {
  const parsed = parseCodeOrPrefix(text, field);
  if (parsed.type === 'code') {
    const match =
      (await findLotByCode(ctx.db, parsed.code)) ?? (await findByCode(ctx.db, parsed.code));
    if (!match)
      throw new NotFoundError('code', parsed.code, field, `nothing has the code '${parsed.code}'`);
    return toResolved(match, 'code');
  }
  const upper = prefixUpperBound(parsed.prefix);
  const matches = await findCodesInRange(ctx.db, parsed.prefix, upper, MAX_CANDIDATES + 1);
  if (matches.length === 0) {
    throw new NotFoundError(
      'prefix',
      parsed.prefix,
      field,
      `no code starts with '${parsed.prefix}'`,
    );
  }
  return oneOf(parsed.prefix, matches, 'prefix', field)!;
}

function candidate(match: CodeMatch | Resolved) {
  return { kind: match.kind, code: match.code, name: match.name };
}

export function toResolved(match: CodeMatch, matchedBy: Resolved['matchedBy']): Resolved {
  return {
    kind: match.kind,
    code: match.code,
    shortCode: shortCode(match.code),
    name: match.name,
    url: objectUrl('', match.code),
    matchedBy,
  };
}
