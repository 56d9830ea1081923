import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { Consumed } from '../../api/types.js';
import { formatQuantity } from '../../format.js';

/** Every lot the build consumed: for which stage and BOM entry, how much, for which units. */
export function ConsumptionTable({ items }: { items: Consumed[] }) {
  return (
    <div className="table-scroll">
      <table className="list stack" aria-label="Consumption">
        <thead>
          <tr>
            <th className="num">Stage</th>
            <th className="num">Entry</th>
            <th>Part</th>
            <th>Lot</th>
            <th>Vendor lot</th>
            <th className="num">Quantity</th>
            <th>Units</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={`${c.completion}/${c.entryNo}/${c.lot.code}`}>
              <td data-label="Stage" className="num">
                {c.stage}
              </td>
              <td data-label="Entry" className="num">
                {c.entryNo}
              </td>
              <td data-label="Part">
                <Link to={objectUrl('', c.part.code)}>{c.part.name}</Link>
              </td>
              <td data-label="Lot">
                <Link to={objectUrl('', c.lot.code)}>
                  <code>{c.lot.shortCode}</code>
                </Link>{' '}
                {c.lot.name}
              </td>
              <td data-label="Vendor lot">
                {[c.lot.vendorLot, c.lot.dateCode && `DC ${c.lot.dateCode}`]
                  .filter(Boolean)
                  .join(' · ')}
              </td>
              <td data-label="Quantity" className="num">
                {formatQuantity(c.quantity)}
              </td>
              <td data-label="Units">{c.units}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
