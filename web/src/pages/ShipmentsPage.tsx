import { Link, useSearchParams } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { Pager } from '../components/Pager.js';
import { SearchForm } from '../components/SearchForm.js';
import { useLoad } from '../hooks/useLoad.js';
import { ShipmentsTable } from './shipment/ShipmentsTable.js';

const PAGE = 25;

/** Every shipment, newest first; search by customer or reference. Search and page live in the URL. */
export function ShipmentsPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const shipments = useLoad(
    (signal) => api.shipments.list({ q: q || undefined, limit: PAGE, offset }, signal),
    [q, offset],
  );
  const go = (next: { q?: string; offset?: number }) => {
    const merged = new URLSearchParams();
    const text = next.q ?? q;
    if (text) merged.set('q', text);
    if (next.offset) merged.set('offset', String(next.offset));
    setParams(merged);
  };

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
      <SearchForm
        label="Search customer or reference"
        value={q}
        onSearch={(text) => go({ q: text.trim(), offset: 0 })}
      />
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
      {shipments.data && <Pager {...shipments.data} onOffset={(o) => go({ offset: o })} />}
    </>
  );
}
