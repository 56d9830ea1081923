import type { Context } from '../context.js';
import type { UnitRef } from '../domain/unit-refs.js';
import type { ObjectKind } from '../domain/object-kind.js';
import { resolve, resolveKind } from '../resolver/resolve.service.js';
import { fullCodeIn, resolveUnitRefs } from '../resolver/unit-refs.service.js';

/**
 * The full code of what a person names on the command line: a code in any form, a short code
 * (the first 8 characters, as labels and every list print them; any prefix of 4 or more), a
 * unit's build serial (`945ks1m9-3`) or customer serial, a label's text, and where `kind` is
 * known, the name of a part, location, project, serial format or template (resolveKind). A
 * prefix naming several objects is an error listing them, never a guess; text naming an
 * object of another kind than `kind` says what it names. A full code is passed on as it is:
 * the service says when nothing has it.
 */
export async function codeOf(
  ctx: Context,
  text: string,
  field: string,
  kind?: ObjectKind,
): Promise<string>;
/** An option left out stays undefined. */
export async function codeOf(
  ctx: Context,
  text: string | undefined,
  field: string,
  kind?: ObjectKind,
): Promise<string | undefined>;
export async function codeOf(
  ctx: Context,
  text: string | undefined,
  field: string,
  kind?: ObjectKind,
): Promise<string | undefined> {
  if (text === undefined) return undefined;
  const full = fullCodeIn(text);
  if (full) return full;
  const found = kind ? await resolveKind(ctx, text, kind, field) : await resolve(ctx, text, field);
  return found.code;
}

/** Codes of any kind given on the command line, each read as codeOf reads one, in order. */
export async function codesOf(ctx: Context, texts: string[], field = 'codes'): Promise<string[]> {
  const codes: string[] = [];
  for (const [i, text] of texts.entries()) codes.push(await codeOf(ctx, text, `${field}.${i}`));
  return codes;
}

/**
 * Units named with --units (`1-60,75,945ks1m9-3`): serials and ranges as they are, every other
 * text read as codeOf reads a unit, so that a list takes what the label prints.
 */
export async function unitRefsOf(
  ctx: Context,
  refs: UnitRef[] | undefined,
  field = 'units',
): Promise<UnitRef[] | undefined> {
  return refs && resolveUnitRefs(ctx, refs, field);
}
