import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { StockRow } from '../api/types.js';
import { formatQuantity, STATUS_LABELS } from '../format.js';

/** Balances per lot, location and status (GET /stock), for part and location pages. */
export function StockTable({ rows, show }: { rows: StockRow[]; show: 'part' | 'location' }) {
  return (
    <table className="list stack">
      <thead>
        <tr>
          <th>Lot</th>
          <th>{show === 'part' ? 'Part' : 'Location'}</th>
          <th>Status</th>
          <th>Expiry</th>
          <th className="num">Quantity</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={`${row.lot.code}/${row.location.code}/${row.status}`}>
            <td data-label="Lot">
              <Link to={objectUrl('', row.lot.code)}>
                <code>{row.lot.shortCode}</code>
              </Link>{' '}
              {row.lot.name}
            </td>
            <td data-label={show === 'part' ? 'Part' : 'Location'}>
              {show === 'part' ? (
                <Link to={objectUrl('', row.part.code)}>{row.part.name}</Link>
              ) : (
                <Link to={objectUrl('', row.location.code)}>{row.location.name}</Link>
              )}
            </td>
            <td data-label="Status">{STATUS_LABELS[row.status]}</td>
            <td data-label="Expiry">{row.lot.expiry ?? '—'}</td>
            <td data-label="Quantity" className="num">
              {formatQuantity(row.quantity, row.part.unit)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
