import { CODE_LENGTH, isCanonicalCode, newCode } from '../../src/domain/code.js';

/**
 * A random canonical code that starts with `prefix` (canonical characters; the first
 * character of each 13-character half must be 0-9 or a-f).
 */
export function codeWithPrefix(prefix: string): string {
  const code = prefix + newCode().slice(prefix.length);
  if (code.length !== CODE_LENGTH || !isCanonicalCode(code)) {
    throw new Error(`'${prefix}' cannot start a code`);
  }
  return code;
}

/** A `newCode` for a Context that hands out `codes` in order, then fails loudly. */
export function codeSequence(codes: readonly string[]): () => string {
  let next = 0;
  return () => {
    const code = codes[next++];
    if (code === undefined) throw new Error(`codeSequence: only ${codes.length} codes given`);
    return code;
  };
}

/** A `newCode` that hands out `codes` first, then random codes: one object with a chosen code. */
export function codesThenRandom(codes: readonly string[]): () => string {
  let next = 0;
  return () => codes[next++] ?? newCode();
}
