import { useSearchParams } from 'react-router';

/**
 * Search text, page offset and other filters of a list (e.g. `status`), kept in the URL so Back
 * and links keep them. Changing the search or a filter starts on the first page.
 */
export function useListParams(limit: number) {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const update = (values: Record<string, string>) => {
    const merged = new URLSearchParams(params);
    for (const [name, value] of Object.entries(values)) {
      if (value) merged.set(name, value);
      else merged.delete(name);
      if (name !== 'offset') merged.delete('offset');
    }
    setParams(merged);
  };
  return {
    q,
    offset,
    limit,
    setQuery: (text: string) => update({ q: text.trim() }),
    setOffset: (value: number) => update({ offset: value > 0 ? String(value) : '' }),
    /** A filter's value in the URL; '' when not set. */
    filter: (name: string) => params.get(name) ?? '',
    setFilter: (name: string, value: string) => update({ [name]: value }),
    /** Several filters at once (one URL change). */
    setFilters: (values: Record<string, string>) => update(values),
  };
}
