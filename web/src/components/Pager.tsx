import { formatQuantity } from '../format.js';

interface PagerProps {
  total: number;
  limit: number;
  offset: number;
  onOffset(offset: number): void;
}

/** `21–40 of 95` with Previous and Next; nothing when everything fits on one page. */
export function Pager({ total, limit, offset, onOffset }: PagerProps) {
  if (total <= limit && offset === 0) return null;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}
      >
        ← Previous
      </button>
      <span className="pager-range">
        {formatQuantity(first)}–{formatQuantity(last)} of {formatQuantity(total)}
      </span>
      <button type="button" disabled={last >= total} onClick={() => onOffset(offset + limit)}>
        Next →
      </button>
    </nav>
  );
}
