import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { LotHistoryItem } from '../../api/types.js';
import {
  ENTRY_LABELS,
  EVENT_LABELS,
  FIELD_LABELS,
  formatDateTime,
  formatQuantity,
  formatValue,
  STATUS_LABELS,
} from '../../format.js';

/** Stock entries and field changes of a lot, newest first, each with who and when. */
export function LotHistory({ items, unit }: { items: LotHistoryItem[]; unit: string }) {
  if (items.length === 0) return <p className="empty">No history yet.</p>;
  return (
    <ol className="history" aria-label="History">
      {[...items].reverse().map((item) => (
        <li key={`${item.source}-${item.id}`} className="history-item">
          <div className="history-head">
            <strong className="history-what">
              {item.source === 'stock'
                ? ENTRY_LABELS[item.type]
                : item.type === 'signed'
                  ? // An electronic signature: the record's actor is the signer (11.50).
                    `Signed by ${item.actor.name} — ${String(item.data.meaning)} — ${formatDateTime(item.at)}`
                  : EVENT_LABELS[item.type]}
            </strong>
            <span className="history-meta">
              <span className="history-who">{item.actor.name}</span> ·{' '}
              <time dateTime={item.at}>{formatDateTime(item.at)}</time>
            </span>
          </div>
          {item.source === 'stock' ? (
            <p className="history-detail">
              <span className={item.quantity < 0 ? 'qty-out' : 'qty-in'}>
                {item.quantity > 0 ? '+' : ''}
                {formatQuantity(item.quantity, unit)}
              </span>{' '}
              at <Link to={objectUrl('', item.location.code)}>{item.location.name}</Link> ·{' '}
              {STATUS_LABELS[item.status]}
              {item.note && <span className="history-note"> — {item.note}</span>}
            </p>
          ) : (
            <EventDetail data={item.data} />
          )}
        </li>
      ))}
    </ol>
  );
}

/** `updated` events record `{ field: { from, to } }`; others record plain values. */
function EventDetail({ data }: { data: Record<string, unknown> }) {
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
