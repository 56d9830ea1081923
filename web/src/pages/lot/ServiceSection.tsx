import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { FieldList } from '../../components/FieldList.js';
import { Loading } from '../../components/Loading.js';
import { formatDateTime } from '../../format.js';
import { UNIT_STATE_LABELS } from '../../format-builds.js';
import { useLoad } from '../../hooks/useLoad.js';
import { AddEventForm } from './service/AddEventForm.js';
import { LifecycleActions } from './service/LifecycleActions.js';
import { ServiceEvents } from './service/ServiceEvents.js';

/**
 * A device after production: its lifecycle state, the shipment it last went out in, the
 * transitions its state allows (return, repair, release, scrap), and its service history.
 */
export function ServiceSection({
  code,
  canWrite,
  onChanged,
}: {
  code: string;
  canWrite: boolean;
  onChanged(message: string): void;
}) {
  const api = useApi();
  const status = useLoad((signal) => api.units.status(code, signal), [code]);
  const events = useLoad(
    (signal) => api.units.events(code, { limit: 500, offset: 0 }, signal),
    [code],
  );
  const changed = (message: string) => {
    status.reload();
    events.reload();
    onChanged(message);
  };

  return (
    <section className="section" aria-label="Service">
      <h2>Service</h2>
      {status.error !== undefined && <ErrorMessage error={status.error} retry={status.reload} />}
      {status.loading && !status.data && <Loading what="the unit's state" />}
      {status.data && (
        <>
          <FieldList
            fields={[
              [
                'Lifecycle',
                <span data-testid="lifecycle-state">{UNIT_STATE_LABELS[status.data.state]}</span>,
              ],
              [
                'Shipment',
                status.data.shipment ? (
                  <>
                    <Link to={objectUrl('', status.data.shipment.code)}>
                      {status.data.shipment.customer} · {status.data.shipment.reference}
                    </Link>{' '}
                    <span className="muted">{status.data.shipment.date}</span>
                    {status.data.shipment.returnedAt && (
                      <span>
                        {' '}
                        · returned {formatDateTime(status.data.shipment.returnedAt)}:{' '}
                        {status.data.shipment.returnReason}
                      </span>
                    )}
                  </>
                ) : (
                  'Never shipped'
                ),
              ],
            ]}
          />
          {canWrite && <LifecycleActions unit={status.data} onDone={changed} />}
        </>
      )}
      <h3 className="subhead">Service history</h3>
      {events.error !== undefined && <ErrorMessage error={events.error} retry={events.reload} />}
      {events.data && <ServiceEvents events={events.data.items} />}
      {canWrite && <AddEventForm unit={code} onDone={changed} />}
    </section>
  );
}
