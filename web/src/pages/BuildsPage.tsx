import { Link, useSearchParams } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { BuildStatus } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { BuildsTable } from '../components/BuildsTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { Pager } from '../components/Pager.js';
import { BUILD_STATUS_LABELS, BUILD_STATUSES } from '../format-builds.js';
import { useLoad } from '../hooks/useLoad.js';

const PAGE = 25;

/** Every build, newest first, filtered by status; filter and page are kept in the URL. */
export function BuildsPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status = BUILD_STATUSES.includes(raw as BuildStatus) ? (raw as BuildStatus) : undefined;
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const builds = useLoad(
    (signal) => api.builds.list({ status, limit: PAGE, offset }, signal),
    [status, offset],
  );
  const go = (next: { status?: string; offset?: number }) => {
    const merged = new URLSearchParams();
    const s = next.status ?? status;
    if (s) merged.set('status', s);
    if (next.offset) merged.set('offset', String(next.offset));
    setParams(merged);
  };

  return (
    <>
      <div className="page-head">
        <h1>Builds</h1>
        {canWrite && (
          <Link className="button primary" to="/builds/new">
            New build
          </Link>
        )}
      </div>
      <div className="segmented filter" role="radiogroup" aria-label="Status">
        {[undefined, ...BUILD_STATUSES].map((s) => (
          <label key={s ?? 'all'} className={s === status ? 'active' : ''}>
            <input
              type="radio"
              name="status"
              checked={s === status}
              onChange={() => go({ status: s ?? '', offset: 0 })}
            />
            {s ? BUILD_STATUS_LABELS[s] : 'All'}
          </label>
        ))}
      </div>
      {builds.error !== undefined && <ErrorMessage error={builds.error} retry={builds.reload} />}
      {builds.loading && !builds.data && <Loading what="builds" />}
      {builds.data && builds.data.total === 0 && (
        <p className="empty">
          {status ? (
            `No builds are ${BUILD_STATUS_LABELS[status].toLowerCase()}.`
          ) : canWrite ? (
            <>
              No builds yet — <Link to="/builds/new">start one</Link> from a project with a BOM.
            </>
          ) : (
            'No builds yet.'
          )}
        </p>
      )}
      {builds.data && builds.data.items.length > 0 && <BuildsTable builds={builds.data.items} />}
      {builds.data && <Pager {...builds.data} onOffset={(o) => go({ offset: o })} />}
    </>
  );
}
