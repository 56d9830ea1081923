import { ValidationError } from '@domain/errors.js';

/** What a form's text reads as, or why it reads as nothing. */
export type Reading<T> = { value: T; error?: undefined } | { error: string; value?: undefined };

/**
 * Runs one of the domain's parsers on what a person typed: its value, or the reason of the
 * ValidationError it threw — the same reason the server or the CLI would give for that text.
 */
export function readInput<T>(parse: () => T): Reading<T> {
  try {
    return { value: parse() };
  } catch (error) {
    if (error instanceof ValidationError) return { error: error.reason };
    throw error;
  }
}

/** Tags as typed, separated by commas: `smd, reel` → `['smd', 'reel']`; empty ones dropped. */
export function readTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
