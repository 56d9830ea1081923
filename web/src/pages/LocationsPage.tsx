import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { Location } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { NewLocationForm } from '../components/NewLocationForm.js';
import { Pager } from '../components/Pager.js';
import { SearchForm } from '../components/SearchForm.js';
import { useListParams } from '../hooks/useListParams.js';
import { useLoad } from '../hooks/useLoad.js';

export function LocationsPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const list = useListParams(25);
  const [created, setCreated] = useState<Location | null>(null);
  const locations = useLoad(
    (signal) => api.locations.list({ q: list.q, limit: list.limit, offset: list.offset }, signal),
    [list.q, list.offset],
  );
  const onCreated = (location: Location) => {
    setCreated(location);
    locations.reload();
  };

  return (
    <>
      <h1>Storage locations</h1>
      {canWrite && <NewLocationForm onCreated={onCreated} />}
      {created && (
        <p className="success" role="status">
          Created <Link to={objectUrl('', created.code)}>{created.name}</Link>{' '}
          <code>{created.shortCode}</code>.
        </p>
      )}
      <SearchForm label="Search locations" value={list.q} onSearch={list.setQuery} />
      {locations.error !== undefined && (
        <ErrorMessage error={locations.error} retry={locations.reload} />
      )}
      {locations.loading && !locations.data && <Loading what="locations" />}
      {locations.data && locations.data.total === 0 && (
        <p className="empty">
          {list.q
            ? `No locations match “${list.q}”.`
            : canWrite
              ? 'No locations yet — create your first one above: a shelf, a drawer, a reel rack.'
              : 'No locations yet.'}
        </p>
      )}
      {locations.data && locations.data.items.length > 0 && (
        <table className="list stack" aria-busy={locations.loading}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Code</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {locations.data.items.map((l) => (
              <tr key={l.code}>
                <td data-label="Name">
                  <Link to={objectUrl('', l.code)}>{l.name}</Link>
                </td>
                <td data-label="Code">
                  <code>{l.shortCode}</code>
                </td>
                <td data-label="Description">{l.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {locations.data && <Pager {...locations.data} onOffset={list.setOffset} />}
    </>
  );
}
