import { createHash } from 'node:crypto';
import { codeFromUuid, isCanonicalCode } from '../domain/code.js';

/**
 * The Tracelot code of the object made from a PartsBox record. PartsBox ids are codes of the
 * same form, so they are kept and labels already printed keep scanning. An id that is no code
 * (older data, hand-edited files) gets a code derived from it — the same on every run, so that
 * a second import finds what the first one made.
 */
export function codeOfPartsboxId(kind: string, id: string): { code: string; kept: boolean } {
  const lower = id.trim().toLowerCase();
  if (isCanonicalCode(lower)) return { code: lower, kept: true };
  const bytes = createHash('sha256').update(`partsbox ${kind} ${id}`).digest().subarray(0, 16);
  // A version 8 ("custom") UUID with the RFC 9562 variant: never one that Tracelot makes (v4).
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return { code: codeFromUuid(bytes.toString('hex')), kept: false };
}
