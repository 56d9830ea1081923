declare const json: unique symbol;

/**
 * A text column holding the JSON of a T. Only toJsonText makes one, so the compiler checks what
 * is written to a JSON column and parseJsonText gives back the type that was written.
 */
export type JsonText<T> = string & { readonly [json]: T };

export function toJsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value) as JsonText<T>;
}

export function parseJsonText<T>(text: JsonText<T>): T {
  return JSON.parse(text) as T;
}
