import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { VerifyReport } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { Pager } from '../components/Pager.js';
import { useAction } from '../hooks/useAction.js';
import { storedName } from '../format.js';
import { useListParams } from '../hooks/useListParams.js';
import { useLoad } from '../hooks/useLoad.js';

const FILTERS = ['actor', 'object', 'operation', 'from', 'to'] as const;

/**
 * The change log for admins and auditors: every write as a hash-chained record, newest first,
 * filtered by user, object, operation and date (kept in the URL); and a check of the whole log.
 */
export function AuditPage() {
  const api = useApi();
  const list = useListParams(50);
  const query = Object.fromEntries(
    FILTERS.map((f) => [f, list.filter(f) || undefined] as const),
  ) as Record<(typeof FILTERS)[number], string | undefined>;
  const changes = useLoad(
    (signal) => api.audit.changes({ ...query, limit: list.limit, offset: list.offset }, signal),
    [...FILTERS.map((f) => query[f]), list.offset],
  );
  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    list.setFilters(Object.fromEntries(FILTERS.map((f) => [f, String(form.get(f) ?? '').trim()])));
  };
  return (
    <>
      <div className="page-head">
        <h1>Audit</h1>
      </div>
      <VerifyPanel />
      <form className="form-grid" onSubmit={apply} aria-label="Filter change records">
        <label>
          User <input name="actor" defaultValue={query.actor} maxLength={200} />
        </label>
        <label>
          Object code <input name="object" defaultValue={query.object} maxLength={200} />
        </label>
        <label>
          Operation{' '}
          <input
            name="operation"
            defaultValue={query.operation}
            maxLength={100}
            placeholder="e.g. shipped"
          />
        </label>
        <label>
          From <input name="from" type="date" defaultValue={query.from} />
        </label>
        <label>
          Before <input name="to" type="date" defaultValue={query.to} />
        </label>
        <div className="actions">
          <button type="submit">Filter</button>
        </div>
      </form>
      {changes.error !== undefined && <ErrorMessage error={changes.error} retry={changes.reload} />}
      {changes.loading && !changes.data && <Loading what="change records" />}
      {changes.data && changes.data.total === 0 && (
        <p className="empty">No change record matches these filters.</p>
      )}
      {changes.data && changes.data.items.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>Time</th>
              <th>User</th>
              <th>Operation</th>
              <th>Objects</th>
              <th>Record</th>
              <th>Hash</th>
            </tr>
          </thead>
          <tbody>
            {changes.data.items.map((c) => (
              <tr key={c.id}>
                <td>{c.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{c.actor.name}</td>
                <td>{storedName(c.operation)}</td>
                <td>{c.objects}</td>
                <td>
                  <Link to={`/audit/${encodeURIComponent(c.id)}`}>
                    #{c.seq} <code>{c.id}</code>
                  </Link>
                </td>
                <td>
                  <code title={c.hash}>{c.hash.slice(0, 16)}…</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {changes.data && <Pager {...changes.data} onOffset={list.setOffset} />}
      <p className="hint">
        Each record holds the SHA-256 of the one before it. Export the log with{' '}
        <code>tracelot audit export</code> and keep the chain head it prints elsewhere; see an
        object&apos;s history on its page (scan or <Link to="/scan">look it up</Link>).
      </p>
    </>
  );
}

/** Recomputes the chain and checks the state against the log, on demand. */
function VerifyPanel() {
  const api = useApi();
  const action = useAction();
  const [report, setReport] = useState<VerifyReport | null>(null);
  return (
    <section className="panel" aria-label="Verify the change log">
      <button
        type="button"
        disabled={action.busy}
        onClick={async () => setReport((await action.run(() => api.audit.verify())) ?? null)}
      >
        {action.busy ? 'Verifying…' : 'Verify the change log'}
      </button>
      {action.error !== null && <ErrorMessage error={action.error} />}
      {report && report.ok && (
        <p role="status">
          Verified: {report.records} records, chain head #{report.head?.seq}{' '}
          <code>{report.head?.hash}</code>
        </p>
      )}
      {report && !report.ok && (
        <div role="alert">
          <p>
            Broken: {report.firstBroken?.seq !== null ? `record #${report.firstBroken?.seq} ` : ''}
            {report.firstBroken?.problem}
          </p>
          {report.problems.length > 1 && (
            <ul>
              {report.problems.slice(1).map((p, i) => (
                <li key={i}>{p.problem}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
