import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { useLoad } from '../hooks/useLoad.js';
import { ErrorMessage } from './ErrorMessage.js';
import { Loading } from './Loading.js';
import { Pager } from './Pager.js';
import { StockTable } from './StockTable.js';

const PAGE = 50;

/** The stock of a part (by location) or of a location (by part), a page at a time. */
export function StockSection({ of, code }: { of: 'part' | 'location'; code: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const [offset, setOffset] = useState(0);
  const stock = useLoad(
    (signal) => api.stock.list({ [of]: code, limit: PAGE, offset }, signal),
    [of, code, offset],
  );
  const receive = `/receive?${of}=${encodeURIComponent(code)}`;
  return (
    <section className="section">
      <div className="section-head">
        <h2>Stock</h2>
        {canWrite && (
          <Link className="button" to={receive}>
            Receive stock{of === 'location' ? ' here' : ''}
          </Link>
        )}
      </div>
      {stock.error !== undefined && <ErrorMessage error={stock.error} retry={stock.reload} />}
      {stock.loading && !stock.data && <Loading what="stock" />}
      {stock.data && stock.data.total === 0 && (
        <p className="empty">
          {of === 'part' ? 'No stock of this part' : 'Nothing is stored here'} yet
          {canWrite && (
            <>
              {' '}
              — <Link to={receive}>receive stock</Link>
            </>
          )}
          .
        </p>
      )}
      {stock.data && stock.data.items.length > 0 && (
        <StockTable rows={stock.data.items} show={of === 'part' ? 'location' : 'part'} />
      )}
      {stock.data && <Pager {...stock.data} onOffset={setOffset} />}
    </section>
  );
}
