import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { Lot } from '../../api/types.js';
import { formatQuantity, STATUS_LABELS } from '../../format.js';

/** Where a lot's stock lies, in which status, how much. */
export function BalancesTable({ lot }: { lot: Lot }) {
  if (lot.balances.length === 0)
    return <p className="empty">This lot has no stock left: it was used up or removed.</p>;
  return (
    <table className="list stack" aria-label="Balances">
      <thead>
        <tr>
          <th>Location</th>
          <th>Status</th>
          <th className="num">Quantity</th>
        </tr>
      </thead>
      <tbody>
        {lot.balances.map((b) => (
          <tr key={`${b.location.code}/${b.status}`}>
            <td data-label="Location">
              <Link to={objectUrl('', b.location.code)}>{b.location.name}</Link>
            </td>
            <td data-label="Status">{STATUS_LABELS[b.status]}</td>
            <td data-label="Quantity" className="num">
              {formatQuantity(b.quantity, lot.part.unit)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
