import type { Context } from '../context.js';
import { parseCodeOrPrefix } from '../domain/code.js';
import { ValidationError } from '../domain/errors.js';
import type { ObjectKind } from '../resolver/resolve.schemas.js';
import { resolve } from '../resolver/resolve.service.js';

const KIND_NAMES: Record<ObjectKind, string> = {
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
 * The full code of what a person names on the command line: a code in any form, a short code
 * (the first 8 characters, as labels and every list print them; any prefix of 4 or more), or
 * anything else the resolver reads (a unit's customer serial, a label's text). A prefix naming
 * several objects is an error listing them, never a guess; text naming an object of another
 * kind than `kind` says what it names. A full code is passed on as it is: the service says
 * when nothing has it.
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
  const found = await resolve(ctx, text, field);
  if (kind && found.kind !== kind) {
    throw new ValidationError(
      field,
      `${found.shortCode} is a ${KIND_NAMES[found.kind]}, not a ${KIND_NAMES[kind]}`,
    );
  }
  return found.code;
}

/** The code when the text is a full code in any form; else undefined (the resolver reads it). */
function fullCodeIn(text: string): string | undefined {
  try {
    const parsed = parseCodeOrPrefix(text);
    return parsed.type === 'code' ? parsed.code : undefined;
  } catch {
    // Not a code: a customer serial, a label's text, or a mistake the resolver words.
    return undefined;
  }
}

/** Codes of any kind given on the command line, each read as codeOf reads one, in order. */
export async function codesOf(ctx: Context, texts: string[], field = 'codes'): Promise<string[]> {
  const codes: string[] = [];
  for (const [i, text] of texts.entries()) codes.push(await codeOf(ctx, text, `${field}.${i}`));
  return codes;
}
