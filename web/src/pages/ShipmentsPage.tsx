import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { Pager } from '../components/Pager.js';
import { SearchForm } from '../components/SearchForm.js';
import { useListParams } from '../hooks/useListParams.js';
import { useLoad } from '../hooks/useLoad.js';
import { ShipmentsTable } from './shipment/ShipmentsTable.js';

/** Every shipment, newest first; search by customer or reference. Search and page live in the URL. */
export function ShipmentsPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const { q, offset, limit, setQuery, setOffset } = useListParams(25);
  const shipments = useLoad(
    (signal) => api.shipments.list({ q: q || undefined, limit, offset }, signal),
    [q, offset],
  );

  return (
    <>
      <div className="page-head">
        <h1>Shipments</h1>
        {canWrite && (
          <Link className="button primary" to="/shipments/new">
            Ship units
          </Link>
        )}
      </div>
      <SearchForm label="Search customer or reference" value={q} onSearch={setQuery} />
      {shipments.error !== undefined && (
        <ErrorMessage error={shipments.error} retry={shipments.reload} />
      )}
      {shipments.loading && !shipments.data && <Loading what="shipments" />}
      {shipments.data && shipments.data.total === 0 && (
        <p className="empty">
          {q ? (
            `No shipment's customer or reference contains “${q}”.`
          ) : canWrite ? (
            <>
              No shipments yet — <Link to="/shipments/new">ship units</Link> by scanning their
              labels.
            </>
          ) : (
            'No shipments yet.'
          )}
        </p>
      )}
      {shipments.data && shipments.data.items.length > 0 && (
        <ShipmentsTable shipments={shipments.data.items} />
      )}
      {shipments.data && <Pager {...shipments.data} onOffset={setOffset} />}
    </>
  );
}
