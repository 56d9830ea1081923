import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { DemoOffer } from '../components/DemoOffer.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { Pager } from '../components/Pager.js';
import { SearchForm } from '../components/SearchForm.js';
import { formatQuantity, KIND_LABELS } from '../format.js';
import { useListParams } from '../hooks/useListParams.js';
import { useLoad } from '../hooks/useLoad.js';

export function PartsPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const list = useListParams(25);
  const parts = useLoad(
    (signal) => api.parts.list({ q: list.q, limit: list.limit, offset: list.offset }, signal),
    [list.q, list.offset],
  );
  // Value (the custom field BOM imports fill) and description only when a part shown has one.
  const items = parts.data?.items ?? [];
  const showValue = items.some((p) => p.customFields.value);
  const showDescription = items.some((p) => p.description);

  return (
    <>
      <div className="page-head">
        <h1>Parts</h1>
        {canWrite && (
          <Link className="button primary" to="/parts/new">
            New part
          </Link>
        )}
      </div>
      <SearchForm label="Search parts" value={list.q} onSearch={list.setQuery} />
      {parts.error !== undefined && <ErrorMessage error={parts.error} retry={parts.reload} />}
      {parts.loading && !parts.data && <Loading what="parts" />}
      {parts.data && parts.data.total === 0 && (
        <p className="empty">
          {list.q ? (
            <>No parts match “{list.q}”.</>
          ) : canWrite ? (
            <>
              No parts yet — <Link to="/parts/new">create your first part</Link>.
            </>
          ) : (
            <>No parts yet.</>
          )}
        </p>
      )}
      {parts.data && parts.data.total === 0 && !list.q && <DemoOffer />}
      {parts.data && parts.data.items.length > 0 && (
        <table className="list stack" aria-busy={parts.loading}>
          <thead>
            <tr>
              <th>Name</th>
              {showValue && <th>Value</th>}
              {showDescription && <th>Description</th>}
              <th>MPN</th>
              <th>Manufacturer</th>
              <th>Kind</th>
              <th className="num">On hand</th>
            </tr>
          </thead>
          <tbody>
            {parts.data.items.map((part) => (
              <tr key={part.code}>
                <td data-label="Name">
                  <Link to={objectUrl('', part.code)}>{part.name}</Link>{' '}
                  <code className="muted">{part.shortCode}</code>
                </td>
                {showValue && <td data-label="Value">{part.customFields.value ?? ''}</td>}
                {showDescription && (
                  <td data-label="Description" title={part.description}>
                    {brief(part.description)}
                  </td>
                )}
                <td data-label="MPN">{part.mpn}</td>
                <td data-label="Manufacturer">{part.manufacturer}</td>
                <td data-label="Kind">{KIND_LABELS[part.kind]}</td>
                <td data-label="On hand" className="num">
                  {formatQuantity(part.onHand, part.unit)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {parts.data && <Pager {...parts.data} onOffset={list.setOffset} />}
    </>
  );
}

/** A description shortened for the list (the whole text is the cell's tooltip). */
function brief(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
