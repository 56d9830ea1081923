import { objectUrl } from '@domain/object-url.js';
import { Navigate } from 'react-router';
import { useApi } from '../../../api/ApiContext.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { Loading } from '../../../components/Loading.js';
import { useLoad } from '../../../hooks/useLoad.js';

/** A service event's code opens the page of its unit, where the service history is. */
export function ServiceEventRedirect({ code }: { code: string }) {
  const api = useApi();
  const event = useLoad((signal) => api.units.event(code, signal), [code]);
  if (event.error !== undefined) return <ErrorMessage error={event.error} retry={event.reload} />;
  if (!event.data) return <Loading what="the service event" />;
  return <Navigate replace to={objectUrl('', event.data.unit)} />;
}
