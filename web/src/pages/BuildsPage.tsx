import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { BuildStatus } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { BuildsTable } from '../components/BuildsTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { Pager } from '../components/Pager.js';
import { SearchForm } from '../components/SearchForm.js';
import { BUILD_STATUS_LABELS, BUILD_STATUSES } from '../format-builds.js';
import { useListParams } from '../hooks/useListParams.js';
import { useLoad } from '../hooks/useLoad.js';

/**
 * Every build, newest first, filtered by status and searched by project, product, notes or
 * code; search, filter and page are kept in the URL.
 */
export function BuildsPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const { q, offset, limit, setQuery, setOffset, filter, setFilter } = useListParams(25);
  const raw = filter('status');
  const status = BUILD_STATUSES.includes(raw as BuildStatus) ? (raw as BuildStatus) : undefined;
  const builds = useLoad(
    (signal) => api.builds.list({ q: q || undefined, status, limit, offset }, signal),
    [q, status, offset],
  );

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
              onChange={() => setFilter('status', s ?? '')}
            />
            {s ? BUILD_STATUS_LABELS[s] : 'All'}
          </label>
        ))}
      </div>
      <SearchForm label="Search project, product, notes or code" value={q} onSearch={setQuery} />
      {builds.error !== undefined && <ErrorMessage error={builds.error} retry={builds.reload} />}
      {builds.loading && !builds.data && <Loading what="builds" />}
      {builds.data && builds.data.total === 0 && (
        <p className="empty">
          {q ? (
            `No ${status ? `${BUILD_STATUS_LABELS[status].toLowerCase()} ` : ''}build matches “${q}”.`
          ) : status ? (
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
      {builds.data && <Pager {...builds.data} onOffset={setOffset} />}
    </>
  );
}
