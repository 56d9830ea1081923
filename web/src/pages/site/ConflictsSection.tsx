import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import type { Conflict } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { useAction } from '../../hooks/useAction.js';
import { useLoad } from '../../hooks/useLoad.js';

const KINDS: Record<Conflict['kind'], string> = {
  unit_state: 'Unit state changed at both sites',
  customer_serial: 'One customer serial given to two units',
  installation: 'One unit installed in two places',
  shipment: 'One unit in two shipments',
};

/** What a side of a conflict says, in words: the row itself is shown below it. */
function claim(kind: Conflict['kind'], row: Record<string, unknown>): string {
  const text = (key: string) => String(row[key] ?? '—');
  switch (kind) {
    case 'unit_state':
      return `State: ${text('unit_state')}`;
    case 'customer_serial':
      return `Serial ${text('value')} given to unit ${text('lot_code')}`;
    case 'installation':
      return `Installed in ${text('parent_code')} (entry ${text('entry_no')})`;
    case 'shipment':
      return `In shipment ${text('shipment_code')}`;
  }
}

/** What sync could not merge silently: both sides, and a person's decision. */
export function ConflictsSection({ reload }: { reload: number }) {
  const api = useApi();
  const [all, setAll] = useState(false);
  const conflicts = useLoad((signal) => api.sites.conflicts(all, signal), [all, reload]);
  return (
    <section className="section" aria-label="Conflicts">
      <h2>Conflicts</h2>
      <label>
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Resolved
        ones too
      </label>
      {conflicts.error !== undefined && (
        <ErrorMessage error={conflicts.error} retry={conflicts.reload} />
      )}
      {conflicts.loading && !conflicts.data && <Loading what="the conflicts" />}
      {conflicts.data &&
        (conflicts.data.items.length === 0 ? (
          <p className="empty">
            {all ? 'No conflicts: every sync merged by itself.' : 'No open conflicts.'}
          </p>
        ) : (
          conflicts.data.items.map((c) => (
            <ConflictCard key={c.code} conflict={c} onResolved={conflicts.reload} />
          ))
        ))}
    </section>
  );
}

function ConflictCard({ conflict, onResolved }: { conflict: Conflict; onResolved: () => void }) {
  const api = useApi();
  const resolve = useAction();
  const [keep, setKeep] = useState<'kept' | 'other'>('kept');
  const [note, setNote] = useState('');
  const side = (title: string, s: Conflict['kept']) => (
    <div aria-label={title} role="group">
      <h4>{title}</h4>
      <p>
        <strong>{claim(conflict.kind, s.row)}</strong>
      </p>
      <p>
        {s.site ?? 'unknown site'} · {s.at ?? ''} · {s.actor ?? ''}
      </p>
      <details>
        <summary>The row as each site stored it</summary>
        <pre className="code">{JSON.stringify(s.row, null, 1)}</pre>
      </details>
    </div>
  );
  const submit = async () => {
    if (await resolve.run(() => api.sites.resolve(conflict.code, { keep, note }))) onResolved();
  };
  return (
    <article className="card" aria-label={`Conflict ${conflict.code}`}>
      <h3>
        {KINDS[conflict.kind]}:{' '}
        <Link className="code" to={`/c/${conflict.subject}`}>
          {conflict.subject}
        </Link>
      </h3>
      {side('In effect', conflict.kept)}
      {side('Other side', conflict.other)}
      {conflict.resolution ? (
        <p>
          Resolved by {conflict.resolution.by} on {conflict.resolution.at}: keep{' '}
          {conflict.resolution.keep === 'kept' ? 'the side in effect' : 'the other side'} —{' '}
          {conflict.resolution.note}
        </p>
      ) : (
        <div className="form">
          <label>
            Which side stands
            <select value={keep} onChange={(e) => setKeep(e.target.value as 'kept' | 'other')}>
              <option value="kept">The side in effect</option>
              <option value="other">The other side</option>
            </select>
          </label>
          <label>
            Why
            <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
          </label>
          {resolve.error !== null && <ErrorMessage error={resolve.error} />}
          <div className="actions">
            <button type="button" onClick={submit} disabled={resolve.busy || note.trim() === ''}>
              {resolve.busy ? 'Resolving…' : 'Resolve'}
            </button>
          </div>
        </div>
      )}
    </article>
  );
}
