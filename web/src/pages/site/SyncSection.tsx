import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { PeerSync } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { useAction } from '../../hooks/useAction.js';
import { useLoad } from '../../hooks/useLoad.js';

/** The sites this one syncs with over HTTPS: add one, sync now, how the last sync went. */
export function SyncSection({ onSynced }: { onSynced: () => void }) {
  const api = useApi();
  const peers = useLoad((signal) => api.sites.peers(signal), []);
  const add = useAction();
  const sync = useAction();
  const [form, setForm] = useState({ name: '', url: '', key: '' });
  const [results, setResults] = useState<PeerSync[] | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await add.run(() => api.sites.addPeer(form))) {
      setForm({ name: '', url: '', key: '' });
      peers.reload();
    }
  };
  const syncNow = async () => {
    const done = await sync.run(() => api.sites.syncNow());
    if (done) {
      setResults(done.items);
      peers.reload();
      onSynced();
    }
  };
  return (
    <section className="section" aria-label="Sync">
      <h2>Sync</h2>
      {peers.error !== undefined && <ErrorMessage error={peers.error} retry={peers.reload} />}
      {peers.loading && !peers.data && <Loading what="the sites to sync with" />}
      {peers.data &&
        (peers.data.items.length === 0 ? (
          <p className="empty">
            No site to sync with yet. Add one below with the key of the site role its admin made for
            this site, or carry bundles with <code>tracelot sync export</code> and{' '}
            <code>tracelot sync import</code>.
          </p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Site</th>
                <th>Address</th>
                <th>Last sync</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {peers.data.items.map((p) => (
                <tr key={p.site.id}>
                  <td>{p.site.name}</td>
                  <td className="code">{p.url}</td>
                  <td>{p.lastSyncAt ?? 'never'}</td>
                  <td>
                    {!p.lastResult
                      ? ''
                      : p.lastResult.ok
                        ? `sent ${p.lastResult.sent}, received ${p.lastResult.received} records`
                        : `failed: ${p.lastResult.error}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {peers.data && peers.data.items.length > 0 && (
        <div className="actions">
          <button type="button" className="primary" onClick={syncNow} disabled={sync.busy}>
            {sync.busy ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      )}
      {sync.error !== null && <ErrorMessage error={sync.error} />}
      {results && (
        <ul aria-label="Sync results">
          {results.map((r) => (
            <li key={r.site.id}>
              {r.error
                ? `${r.site.name}: failed — ${r.error}`
                : `${r.site.name}: sent ${r.sent?.records.applied ?? 0}, received ${r.received?.records.applied ?? 0} records, ${(r.sent?.conflicts ?? 0) + (r.received?.conflicts ?? 0)} conflicts`}
            </li>
          ))}
        </ul>
      )}
      <form className="card form" onSubmit={submit} aria-label="Add a site to sync with">
        <label>
          Name
          <input
            name="name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            required
            maxLength={200}
          />
        </label>
        <label>
          Address
          <input
            name="url"
            type="url"
            placeholder="https://tracelot.plant-b.example"
            value={form.url}
            onChange={(e) => setForm({ ...form, url: e.target.value })}
            required
          />
        </label>
        <label>
          Site key
          <input
            name="key"
            value={form.key}
            onChange={(e) => setForm({ ...form, key: e.target.value })}
            required
            maxLength={200}
            autoComplete="off"
          />
        </label>
        {add.error !== null && <ErrorMessage error={add.error} />}
        <div className="actions">
          <button type="submit" disabled={add.busy}>
            {add.busy ? 'Adding…' : 'Add site'}
          </button>
        </div>
      </form>
    </section>
  );
}
