import { useApi } from '../../api/ApiContext.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Fold } from '../../components/Fold.js';
import { Loading } from '../../components/Loading.js';
import { useLoad } from '../../hooks/useLoad.js';
import { AddEventForm } from './service/AddEventForm.js';
import { ServiceEvents } from './service/ServiceEvents.js';

/**
 * A device's service history (returns, repairs, inspections, each with its files) and adding
 * an event; folded on a phone. `version` changes when the unit changed (a return adds an event).
 */
export function ServiceSection({
  code,
  canWrite,
  version,
  onChanged,
}: {
  code: string;
  canWrite: boolean;
  version: number;
  onChanged(message: string): void;
}) {
  const api = useApi();
  const events = useLoad(
    (signal) => api.units.events(code, { limit: 500, offset: 0 }, signal),
    [code, version],
  );
  return (
    <Fold title="Service history" count={events.data?.total}>
      {events.error !== undefined && <ErrorMessage error={events.error} retry={events.reload} />}
      {events.loading && !events.data && <Loading what="the service history" />}
      {events.data && <ServiceEvents events={events.data.items} />}
      {canWrite && <AddEventForm unit={code} onDone={onChanged} />}
    </Fold>
  );
}
