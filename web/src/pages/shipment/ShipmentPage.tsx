import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import { CodeHeader } from '../../components/CodeHeader.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { formatDateTime, plural } from '../../format.js';
import { UNIT_STATE_LABELS } from '../../format-builds.js';
import { useLoad } from '../../hooks/useLoad.js';

/** A shipment: to whom, when, and its units with their state now (and why one came back). */
export function ShipmentPage({ code }: { code: string }) {
  const api = useApi();
  const shipment = useLoad((signal) => api.shipments.get(code, signal), [code]);
  if (shipment.error !== undefined)
    return <ErrorMessage error={shipment.error} retry={shipment.reload} />;
  if (!shipment.data) return <Loading what="the shipment" />;
  const s = shipment.data;
  return (
    <>
      <CodeHeader
        kind="Shipment"
        title={`${s.customer} · ${s.reference}`}
        code={s.code}
        shortCode={s.shortCode}
      >
        <p className="summary">
          Shipped <strong data-testid="shipment-date">{s.date}</strong> ·{' '}
          {plural(s.unitCount, 'unit')}
          {s.returnedCount > 0 && ` · ${s.returnedCount} returned`}
        </p>
        <p className="summary muted">
          Recorded by {s.createdBy}, {formatDateTime(s.createdAt)}
        </p>
        {s.note && <p className="summary">{s.note}</p>}
        <div className="actions">
          <Link className="button" to={`/labels?shipment=${s.code}`}>
            Print labels
          </Link>
        </div>
      </CodeHeader>
      <section className="section">
        <h2>Units</h2>
        <table className="list stack" aria-label="Shipped units">
          <thead>
            <tr>
              <th>Unit</th>
              <th>Part</th>
              <th>State</th>
              <th>Returned</th>
            </tr>
          </thead>
          <tbody>
            {s.units.map((u) => (
              <tr key={u.code}>
                <td data-label="Unit">
                  <Link to={objectUrl('', u.code)}>
                    <code>{u.label ?? u.shortCode}</code>
                  </Link>
                </td>
                <td data-label="Part">{u.part.name}</td>
                <td data-label="State">{UNIT_STATE_LABELS[u.state]}</td>
                <td data-label="Returned">
                  {u.returnedAt && `${formatDateTime(u.returnedAt)}: ${u.returnReason ?? ''}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
