import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { ShipmentSummary } from '../../api/types.js';

/** A list of shipments: each links to its page; a reversed one says so. */
export function ShipmentsTable({ shipments }: { shipments: ShipmentSummary[] }) {
  return (
    <table className="list stack" aria-label="Shipments">
      <thead>
        <tr>
          <th>Date</th>
          <th>Customer</th>
          <th>Reference</th>
          <th>Units</th>
          <th>Returned</th>
        </tr>
      </thead>
      <tbody>
        {shipments.map((s) => (
          <tr key={s.code}>
            <td data-label="Date">{s.date}</td>
            <td data-label="Customer">
              <Link to={objectUrl('', s.code)}>{s.customer}</Link>
            </td>
            <td data-label="Reference">{s.reference}</td>
            <td data-label="Units">{s.unitCount}</td>
            <td data-label="Returned">
              {s.reversed ? <span className="badge">reversed</span> : s.returnedCount || ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
