import { useState } from 'react';

/**
 * The text fields of a form, held in one object. `bind(key)` gives an input, select or textarea
 * its name, value and change handler, so each control names its key once; the name can be
 * overridden after the spread where the DOM name differs from the key. `clear()` puts back the
 * values the form started with (after a create, for the next one).
 */
export function useFormFields<T extends Record<string, string>>(initial: T | (() => T)) {
  const [start] = useState(initial);
  const [values, setValues] = useState<T>(start);
  const bind = <K extends keyof T & string>(key: K) => ({
    name: key,
    value: values[key],
    onChange: (e: { target: { value: string } }) =>
      setValues((v) => ({ ...v, [key]: e.target.value }) as T),
  });
  return { values, setValues, bind, clear: () => setValues(start) };
}
