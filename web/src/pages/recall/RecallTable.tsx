import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import type { RecallItem } from '../../api/types.js';
import { Pager } from '../../components/Pager.js';
import { formatQuantity } from '../../format.js';
import { RECALL_STATE_LABELS } from '../../format-builds.js';
import { STATUS_LABELS } from '../../format.js';

/** Rows drawn at a time: a recall may reach thousands of units. */
const PAGE = 100;

/** Every unit and lot that may contain the recalled lot, with where each is now. */
export function RecallTable({ items }: { items: RecallItem[] }) {
  const [offset, setOffset] = useState(0);
  return (
    <>
      <div className="table-scroll">
        <table className="list stack" aria-label="Affected units">
          <thead>
            <tr>
              <th className="num">Level</th>
              <th>Unit or lot</th>
              <th>Part</th>
              <th>State</th>
              <th>Where</th>
              <th>Scope</th>
            </tr>
          </thead>
          <tbody>
            {items.slice(offset, offset + PAGE).map((item) => (
              <tr key={item.code} className={item.scope === 'build' ? 'row-maybe' : undefined}>
                <td data-label="Level" className="num">
                  {item.level}
                </td>
                <td data-label="Unit or lot">
                  <Link to={objectUrl('', item.code)}>
                    <code>{item.label ?? item.shortCode}</code>
                  </Link>
                  {item.kind === 'lot' && <span className="badge">lot</span>}
                  {item.name && <div className="hint">{item.name}</div>}
                </td>
                <td data-label="Part">
                  <Link to={objectUrl('', item.part.code)}>{item.part.name}</Link>
                </td>
                <td data-label="State">{RECALL_STATE_LABELS[item.status.state]}</td>
                <td data-label="Where">
                  <Where item={item} />
                </td>
                <td data-label="Scope">
                  <span className={`scope scope-${item.scope}`}>
                    {item.scope === 'unit' ? 'contains it' : 'may contain it'}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager total={items.length} limit={PAGE} offset={offset} onOffset={setOffset} />
    </>
  );
}

function Where({ item }: { item: RecallItem }) {
  const { installedIn, shipment, stock } = item.status;
  return (
    <>
      {shipment && (
        <div>
          shipped to{' '}
          <Link to={objectUrl('', shipment.code)}>
            {shipment.customer} {shipment.reference}
          </Link>{' '}
          · {shipment.date}
        </div>
      )}
      {installedIn && (
        <div>
          in{' '}
          <Link to={objectUrl('', installedIn.code)}>
            <code>{installedIn.label ?? installedIn.shortCode}</code>
          </Link>
        </div>
      )}
      {stock.map((s) => (
        <div key={`${s.location.code}/${s.status}`}>
          <Link to={objectUrl('', s.location.code)}>{s.location.name}</Link> ·{' '}
          {STATUS_LABELS[s.status]}
          {item.kind === 'lot' && ` · ${formatQuantity(s.quantity)}`}
        </div>
      ))}
    </>
  );
}
