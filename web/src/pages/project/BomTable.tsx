import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { BomEntry } from '../../api/types.js';
import { formatQuantity } from '../../format.js';

/** A project's BOM: one row per entry, in position order. */
export function BomTable({ entries }: { entries: BomEntry[] }) {
  return (
    <div className="table-scroll">
      <table className="list stack" aria-label="BOM">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Designators</th>
            <th>Part</th>
            <th className="num">Per unit</th>
            <th className="num">Stage</th>
            <th>DNP</th>
            <th>Substitutes</th>
            <th>Attrition</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.position} className={e.dnp ? 'dnp' : undefined}>
              <td data-label="#" className="num">
                {e.position}
              </td>
              <td data-label="Designators">{e.designators.join(', ')}</td>
              <td data-label="Part">
                <Link to={objectUrl('', e.part.code)}>{e.part.name}</Link>
                {e.part.mpn && e.part.mpn !== e.part.name && (
                  <span className="muted"> · {e.part.mpn}</span>
                )}
                {e.comments && <div className="hint">{e.comments}</div>}
              </td>
              <td data-label="Per unit" className="num">
                {formatQuantity(e.quantity, e.part.unit)}
              </td>
              <td data-label="Stage" className="num">
                {e.stage}
              </td>
              <td data-label="DNP">{e.dnp ? 'DNP' : ''}</td>
              <td data-label="Substitutes">
                {e.substitutes.length === 0
                  ? ''
                  : e.substitutes.map((s, i) => (
                      <span key={s.code}>
                        {i > 0 && ', '}
                        <Link to={objectUrl('', s.code)}>{s.name}</Link>
                      </span>
                    ))}
                {e.substitutes.length > 0 && !e.allowSubstitutes && (
                  <span className="muted"> (not allowed)</span>
                )}
              </td>
              <td data-label="Attrition">{attrition(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `2.5 % + 10 pcs`, or nothing without attrition. */
function attrition(e: BomEntry): string {
  const parts = [];
  if (e.attritionPercent) parts.push(`${formatQuantity(e.attritionPercent)} %`);
  if (e.attritionFixed) parts.push(formatQuantity(e.attritionFixed, e.part.unit));
  return parts.join(' + ');
}
