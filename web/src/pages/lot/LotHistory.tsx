import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { LotHistoryItem } from '../../api/types.js';
import {
  ENTRY_LABELS,
  EVENT_LABELS,
  formatDateTime,
  formatQuantity,
  STATUS_LABELS,
} from '../../format.js';
import { EventDetail } from '../../components/EventDetail.js';

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
