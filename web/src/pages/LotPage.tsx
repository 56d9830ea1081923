import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { CodeHeader } from '../components/CodeHeader.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { formatDateTime, formatQuantity } from '../format.js';
import { useLoad } from '../hooks/useLoad.js';
import { BalancesTable } from './lot/BalancesTable.js';
import { LotFieldsForm } from './lot/LotFieldsForm.js';
import { LotFieldsView } from './lot/LotFieldsView.js';
import { LotHistory } from './lot/LotHistory.js';
import { StockActions } from './lot/StockActions.js';

/** Everything about one lot: codes and QR, part, stock, fields, history. */
export function LotPage({ code }: { code: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const lot = useLoad((signal) => api.lots.get(code, signal), [code]);
  const history = useLoad((signal) => api.lots.history(code, signal), [code]);
  const [notice, setNotice] = useState<string | null>(null);

  if (lot.error !== undefined) return <ErrorMessage error={lot.error} retry={lot.reload} />;
  if (!lot.data) return <Loading what="the lot" />;
  const l = lot.data;
  const changed = (message: string) => {
    setNotice(message);
    lot.reload();
    history.reload();
  };

  return (
    <>
      <CodeHeader kind="Lot" title={l.name || l.part.name} code={l.code} shortCode={l.shortCode}>
        <p className="summary">
          Part <Link to={`/c/${l.part.code}`}>{l.part.name}</Link>
          {l.part.mpn && <span className="muted"> · {l.part.mpn}</span>}
        </p>
        <p className="summary">
          <strong data-testid="lot-quantity">{formatQuantity(l.quantity, l.part.unit)}</strong> in
          total · received {formatDateTime(l.createdAt)}
        </p>
        {l.parentCode && (
          <p className="summary">
            Split from <Link to={`/c/${l.parentCode}`}>{l.parentCode.slice(0, 8)}</Link>
          </p>
        )}
      </CodeHeader>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <section className="section">
        <h2>Stock</h2>
        <BalancesTable lot={l} />
        {canWrite && <StockActions lot={l} onDone={changed} />}
      </section>
      <section className="section">
        <h2>Fields</h2>
        {canWrite ? (
          <LotFieldsForm key={l.updatedAt} lot={l} onSaved={() => changed('Fields saved.')} />
        ) : (
          <LotFieldsView lot={l} />
        )}
      </section>
      <section className="section">
        <h2>History</h2>
        {history.error !== undefined && (
          <ErrorMessage error={history.error} retry={history.reload} />
        )}
        {history.loading && !history.data && <Loading what="the history" />}
        {history.data && <LotHistory items={history.data.items} unit={l.part.unit} />}
      </section>
    </>
  );
}
