import type { Context } from '../context.js';
import { parseCodeOrPrefix } from '../domain/code.js';
import type { UnitRef } from '../domain/unit-refs.js';
import { resolveKind } from './resolve.service.js';

/**
 * Units named in a list (`1-60,75,945ks1m9-3`): serials and ranges as they are, a full code as
 * it is (the caller says when it is no unit of the build), every other text read by the
 * resolver as a lot or unit — a short code, the `<build>-<n>` a label prints, a customer
 * serial — so that a list takes what the label prints. A prefix of several objects is an
 * AmbiguousCodeError listing them; errors name `units.<i>`.
 */
export async function resolveUnitRefs(
  ctx: Context,
  refs: readonly UnitRef[],
  field = 'units',
): Promise<UnitRef[]> {
  const read: UnitRef[] = [];
  for (const [i, ref] of refs.entries())
    read.push(
      typeof ref === 'string'
        ? (fullCodeIn(ref) ?? (await resolveKind(ctx, ref, 'lot', `${field}.${i}`)).code)
        : ref,
    );
  return read;
}

/** The code when the text is a full code in any form; else undefined (the resolver reads it). */
export function fullCodeIn(text: string): string | undefined {
  try {
    const parsed = parseCodeOrPrefix(text);
    return parsed.type === 'code' ? parsed.code : undefined;
  } catch {
    // Not a code: a customer serial, a label's text, or a mistake the resolver words.
    return undefined;
  }
}
