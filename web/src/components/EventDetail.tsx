import { FIELD_LABELS, formatValue } from '../format.js';

/** `updated` events record `{ field: { from, to } }`; others record plain values. */
export function EventDetail({ data }: { data: Record<string, unknown> }) {
  const entries = Object.entries(data);
  if (entries.length === 0) return null;
  return (
    <ul className="history-changes">
      {entries.map(([field, value]) => {
        const label = FIELD_LABELS[field] ?? field;
        if (value && typeof value === 'object' && 'to' in value) {
          const change = value as { from?: unknown; to: unknown };
          return (
            <li key={field}>
              {label}: <del>{formatValue(change.from)}</del> → <ins>{formatValue(change.to)}</ins>
            </li>
          );
        }
        return (
          <li key={field}>
            {label}: {formatValue(value)}
          </li>
        );
      })}
    </ul>
  );
}
