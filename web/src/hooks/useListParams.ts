import { useSearchParams } from 'react-router';

/** Search text and page offset of a list, kept in the URL so Back and links keep them. */
export function useListParams(limit: number) {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const update = (next: { q?: string; offset?: number }) => {
    const merged = new URLSearchParams(params);
    if (next.q !== undefined) {
      if (next.q) merged.set('q', next.q);
      else merged.delete('q');
      merged.delete('offset');
    }
    if (next.offset !== undefined) {
      if (next.offset > 0) merged.set('offset', String(next.offset));
      else merged.delete('offset');
    }
    setParams(merged);
  };
  return {
    q,
    offset,
    limit,
    setQuery: (text: string) => update({ q: text.trim() }),
    setOffset: (value: number) => update({ offset: value }),
  };
}
