import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import type { Shipment } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import { CodeHeader } from '../../components/CodeHeader.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { ReasonForm } from '../../components/ReasonForm.js';
import { formatDateTime, plural } from '../../format.js';
import { UNIT_STATE_LABELS } from '../../format-builds.js';
import { useLoad } from '../../hooks/useLoad.js';

/**
 * A shipment: to whom, when, and its units with their state now (and why one came back). A
 * shipment entered by mistake is reversed here, with a reason; a reversed one says so.
 */
export function ShipmentPage({ code }: { code: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const shipment = useLoad((signal) => api.shipments.get(code, signal), [code]);
  const [reversing, setReversing] = useState(false);
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
        {s.reversed && (
          <p className="warning" data-testid="shipment-reversed">
            Reversed by {s.reversed.by}, {formatDateTime(s.reversed.at)}: {s.reversed.reason}. Its
            units were not shipped.
          </p>
        )}
        <div className="actions">
          <Link className="button" to={`/labels?shipment=${s.code}`}>
            Print labels
          </Link>
          {canWrite && reversible(s) && !reversing && (
            <button type="button" onClick={() => setReversing(true)}>
              Reverse shipment…
            </button>
          )}
        </div>
      </CodeHeader>
      {reversing && (
        <ReasonForm
          label="Reverse the shipment"
          name="reverseReason"
          hint="entered by mistake: recorded in the shipment's and each unit's history"
          action={['Reverse shipment', 'Reversing…']}
          danger
          autoFocus
          onClose={() => setReversing(false)}
          act={async (reason, run) => {
            if (await run(() => api.shipments.reverse(s.code, reason))) {
              setReversing(false);
              shipment.reload();
            }
          }}
        >
          <h3>Reverse this shipment</h3>
          <p className="muted">
            For a shipment entered by mistake: its {plural(s.unitCount, 'unit')} become available
            again, in stock where they were. A unit a customer sent back is returned from its own
            page instead.
          </p>
        </ReasonForm>
      )}
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

/** Only a shipment whose units are all still out in it can be reversed (the server checks too). */
function reversible(s: Shipment): boolean {
  return s.reversed === null && s.units.every((u) => u.state === 'shipped' && !u.returnedAt);
}
