import { objectUrl } from '@domain/object-url.js';
import { useNavigate } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { useAction } from '../hooks/useAction.js';
import { ErrorMessage } from './ErrorMessage.js';

/**
 * On an empty instance, offers an admin the demo company (the same as `tracelot demo`), then
 * opens the build in progress: a first look at everything without typing a record.
 */
export function DemoOffer() {
  const api = useApi();
  const navigate = useNavigate();
  const { me } = useSession();
  const action = useAction();
  if (me?.role !== 'admin') return null;
  const load = async () => {
    const demo = await action.run(() => api.demo.load());
    if (demo) void navigate(objectUrl('', demo.builds.inProgress));
  };
  return (
    <section className="panel" aria-label="Demo data">
      <p>
        Trying Tracelot out? Load a small demo company: two KiCad boards, reels with vendor lots,
        finished and running builds, tests with a failure, a shipment, a return and a repair.
      </p>
      <button type="button" disabled={action.busy} onClick={() => void load()}>
        {action.busy ? 'Loading the demo…' : 'Load demo data'}
      </button>
      {action.error !== null && <ErrorMessage error={action.error} />}
    </section>
  );
}
