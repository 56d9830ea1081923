import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { Shortage } from '../api/types.js';
import { formatQuantity } from '../format.js';
import { shortagesLink } from '../shortage-link.js';

/**
 * What each BOM entry misses: the answer of a build or stage that is short of stock, with a
 * link that opens the receive page pre-filled with the short parts and quantities.
 */
export function ShortageTable({ shortages }: { shortages: Shortage[] }) {
  return (
    <div className="table-scroll">
      <table className="list stack shortages" aria-label="Shortages">
        <thead>
          <tr>
            <th className="num">Entry</th>
            <th>Part</th>
            <th className="num">Need</th>
            <th className="num">Available</th>
            <th className="num">Short</th>
          </tr>
        </thead>
        <tbody>
          {shortages.map((s) => (
            <tr key={s.entryNo} className="row-short">
              <td data-label="Entry" className="num">
                {s.entryNo}
              </td>
              <td data-label="Part">
                <Link to={objectUrl('', s.part.code)}>{s.part.name}</Link>
              </td>
              <td data-label="Need" className="num">
                {formatQuantity(s.need, s.part.unit)}
              </td>
              <td data-label="Available" className="num">
                {formatQuantity(s.available, s.part.unit)}
              </td>
              <td data-label="Short" className="num">
                <strong>{formatQuantity(s.short, s.part.unit)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <Link to={shortagesLink(shortages)}>Receive the shortages</Link>
      </p>
    </div>
  );
}
