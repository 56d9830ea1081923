import { useEffect, useId, useState } from 'react';
import type { Page } from '../api/types.js';
import { useDebounced } from '../hooks/useDebounced.js';
import { useLoad } from '../hooks/useLoad.js';
import { errorText } from './ErrorMessage.js';

interface PickerProps<T extends { code: string }> {
  /** Names the choice, e.g. `Part`; the search box is `Search <plural>`. */
  label: string;
  plural: string;
  value: string;
  onChange(code: string): void;
  search(q: string, signal: AbortSignal): Promise<Page<T>>;
  /** Loads the object named by `initial` (a code from the URL). */
  fetchOne(code: string, signal: AbortSignal): Promise<T>;
  describe(item: T): string;
  initial?: string | null | undefined;
}

/** Choose one part or location: type to search, then pick from the matches. */
export function Picker<T extends { code: string }>(props: PickerProps<T>) {
  const { label, plural, value, onChange, search, fetchOne, describe, initial } = props;
  const id = useId();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const results = useLoad((signal) => search(q, signal), [q]);
  const [chosen, setChosen] = useState<T | null>(null);

  useEffect(() => {
    if (!initial) return;
    const controller = new AbortController();
    fetchOne(initial, controller.signal).then(
      (item) => {
        setChosen(item);
        onChange(item.code);
      },
      () => undefined,
    );
    return () => controller.abort();
    // Only the code from the URL matters; the callbacks are new on every render.
  }, [initial]);

  const items = results.data?.items ?? [];
  const options = chosen && !items.some((i) => i.code === chosen.code) ? [chosen, ...items] : items;

  // A search that finds exactly one match picks it.
  const only = q && items.length === 1 ? items[0] : undefined;
  useEffect(() => {
    if (only && only.code !== value) {
      setChosen(only);
      onChange(only.code);
    }
  }, [only?.code]);

  const pick = (code: string) => {
    setChosen(options.find((o) => o.code === code) ?? null);
    onChange(code);
  };

  return (
    <div className="picker field">
      <label className="field-label" htmlFor={`${id}-select`}>
        {label}
      </label>
      <input
        type="search"
        aria-label={`Search ${plural}`}
        placeholder={`Search ${plural}…`}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <select id={`${id}-select`} required value={value} onChange={(e) => pick(e.target.value)}>
        <option value="">
          {results.loading
            ? 'Searching…'
            : items.length === 0 && !chosen
              ? `No ${plural} found`
              : `Choose a ${label.toLowerCase()}…`}
        </option>
        {options.map((item) => (
          <option key={item.code} value={item.code}>
            {describe(item)}
          </option>
        ))}
      </select>
      {results.error !== undefined && (
        <span className="hint error-text">{errorText(results.error)}</span>
      )}
      {results.data && results.data.total > items.length && (
        <span className="hint">
          Showing {items.length} of {results.data.total}: type to narrow down.
        </span>
      )}
    </div>
  );
}
