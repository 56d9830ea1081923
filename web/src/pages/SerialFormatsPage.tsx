import { useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import type { SerialFormat } from '../api/types.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { Pager } from '../components/Pager.js';
import { SearchForm } from '../components/SearchForm.js';
import { useListParams } from '../hooks/useListParams.js';
import { useLoad } from '../hooks/useLoad.js';
import { NewSerialFormatForm } from './serials/NewSerialFormatForm.js';

const SCOPE_LABELS = { global: 'all parts', part: 'per part' } as const;

/** Customer serial formats: the list, and a form to create one with a live preview. */
export function SerialFormatsPage() {
  const api = useApi();
  const { canWrite } = useSession();
  const list = useListParams(25);
  const [created, setCreated] = useState<SerialFormat | null>(null);
  const formats = useLoad(
    (signal) =>
      api.serialFormats.list({ q: list.q, limit: list.limit, offset: list.offset }, signal),
    [list.q, list.offset],
  );

  return (
    <>
      <h1>Serial formats</h1>
      <p className="hint">
        Customer serial numbers in your customers' formats, given to units as a build starts or
        later from the build page. Each serial is unique within its format.
      </p>
      {canWrite && (
        <NewSerialFormatForm
          onCreated={(format) => {
            setCreated(format);
            formats.reload();
          }}
        />
      )}
      {created && (
        <p className="success" role="status">
          Created {created.name} <code>{created.pattern}</code>.
        </p>
      )}
      <SearchForm label="Search serial formats" value={list.q} onSearch={list.setQuery} />
      {formats.error !== undefined && <ErrorMessage error={formats.error} retry={formats.reload} />}
      {formats.loading && !formats.data && <Loading what="serial formats" />}
      {formats.data && formats.data.total === 0 && (
        <p className="empty">
          {list.q
            ? `No serial formats match “${list.q}”.`
            : canWrite
              ? 'No serial formats yet — create one above, e.g. ACME-{YY}{WW}-{SEQ:5}.'
              : 'No serial formats yet.'}
        </p>
      )}
      {formats.data && formats.data.items.length > 0 && (
        <table className="list stack" aria-label="Serial formats" aria-busy={formats.loading}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Pattern</th>
              <th>Counted</th>
              <th>Reset</th>
              <th>Written to</th>
              <th>Given</th>
            </tr>
          </thead>
          <tbody>
            {formats.data.items.map((f) => (
              <tr key={f.code}>
                <td data-label="Name">{f.name}</td>
                <td data-label="Pattern">
                  <code>{f.pattern}</code>
                </td>
                <td data-label="Counted">
                  {SCOPE_LABELS[f.scope]}
                  {f.part && ` (only ${f.part.name})`}
                </td>
                <td data-label="Reset">{f.reset === 'yearly' ? 'every year' : 'never'}</td>
                <td data-label="Written to">
                  {f.target === 'field' ? `field “${f.fieldName}”` : 'name'}
                </td>
                <td data-label="Given">{f.assigned}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {formats.data && <Pager {...formats.data} onOffset={list.setOffset} />}
    </>
  );
}
