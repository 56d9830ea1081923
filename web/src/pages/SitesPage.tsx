import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { FieldList } from '../components/FieldList.js';
import { Loading } from '../components/Loading.js';
import { useAction } from '../hooks/useAction.js';
import { useLoad } from '../hooks/useLoad.js';
import { ConflictsSection } from './site/ConflictsSection.js';
import { SyncSection } from './site/SyncSection.js';

/** Admins: this instance as a site (its name, id and chain head) and the sites it knows. */
export function SitesPage() {
  const api = useApi();
  const { me } = useSession();
  const sites = useLoad((signal) => api.sites.list(signal), []);
  const rename = useAction();
  const [name, setName] = useState('');
  const [synced, setSynced] = useState(0);
  const local = sites.data?.items.find((s) => s.local);
  const others = sites.data?.items.filter((s) => !s.local) ?? [];
  useEffect(() => {
    if (local) setName(local.name);
  }, [local?.name]);
  if (me?.role !== 'admin') return <p className="empty">Only admins manage sites.</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await rename.run(() => api.sites.rename({ name }))) sites.reload();
  };
  return (
    <>
      <div className="page-head">
        <h1>Sites</h1>
      </div>
      {sites.error !== undefined && <ErrorMessage error={sites.error} retry={sites.reload} />}
      {sites.loading && !sites.data && <Loading what="the sites" />}
      {local && (
        <form className="card form" onSubmit={submit} aria-label="This site">
          <p className="hint field-wide">
            This instance is a site: its change log is a chain of its own, and its storage locations
            are the ones only it moves stock at. The id never changes; the name is what people read.
          </p>
          <label>
            Name of this site
            <input
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              maxLength={200}
            />
          </label>
          <div className="field-wide">
            <FieldList
              fields={[
                ['Id', <span className="code">{local.id}</span>],
                ['Change records', String(local.records)],
                ['Chain head', <span className="code">{local.head.hash}</span>],
              ]}
            />
          </div>
          {rename.error !== null && <ErrorMessage error={rename.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={rename.busy || name === local.name}>
              {rename.busy ? 'Saving…' : 'Rename'}
            </button>
          </div>
        </form>
      )}
      {sites.data && (
        <section className="section">
          <h2>Other sites</h2>
          {others.length === 0 ? (
            <p className="empty">
              No other site yet. A site appears here when its change records arrive by sync.
            </p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Site</th>
                  <th>Id</th>
                  <th>Records here</th>
                </tr>
              </thead>
              <tbody>
                {others.map((s) => (
                  <tr key={s.id}>
                    <td>{s.name}</td>
                    <td className="code">{s.shortCode}</td>
                    <td>{s.records}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <SyncSection
        onSynced={() => {
          sites.reload();
          setSynced((n) => n + 1);
        }}
      />
      <ConflictsSection reload={synced} />
    </>
  );
}
