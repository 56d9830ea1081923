import { objectUrl } from '@domain/object-url.js';
import { toUnits } from '@domain/quantity.js';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import type { ChangeDetail } from '../api/types.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { EventDetail } from '../components/EventDetail.js';
import { FieldList } from '../components/FieldList.js';
import { Fold } from '../components/Fold.js';
import { Loading } from '../components/Loading.js';
import { formatDateTime, formatQuantity, storedName } from '../format.js';
import { useLoad } from '../hooks/useLoad.js';

/**
 * A record's ledger entry is [operation, type, lot, part, location, status, quantity in
 * millionths, reference, note] (LEDGER_LINE_COLUMNS); the operation, an id the entries of one
 * movement share, is left out.
 */
type LedgerLine = ChangeDetail['ledger'][number];

/**
 * Rows shown of a record's objects, unit states and ledger entries: a build of thousands of
 * units is one record; the whole of it is `tracelot audit show ID --json`.
 */
const SHOWN = 500;

function More({ record, total }: { record: ChangeDetail; total: number }) {
  if (total <= SHOWN) return null;
  return (
    <p className="hint">
      The first {SHOWN} of {total}; all of them: <code>tracelot audit show {record.id} --json</code>
      .
    </p>
  );
}

/**
 * One change record as the log holds it, for an auditor: who, when and what operation; each
 * object's change (field from → to), the stock ledger entries and unit states it wrote; its
 * signatures; and the hash that chains it to the record before.
 */
export function AuditRecordPage() {
  const api = useApi();
  const id = useParams().id ?? '';
  const record = useLoad((signal) => api.audit.change(id, signal), [id]);
  if (record.error !== undefined)
    return (
      <>
        <h1>Change record</h1>
        <ErrorMessage error={record.error} retry={record.reload} />
        <p>
          <Link to="/audit">All change records</Link>
        </p>
      </>
    );
  if (!record.data) return <Loading what="the change record" />;
  const r = record.data;
  const fields: [string, ReactNode][] = [
    ['Time', <time dateTime={r.at}>{formatDateTime(r.at)}</time>],
    ['User', r.actor.name],
    ['Operation', storedName(r.operation)],
    ['Record', <code>{r.id}</code>],
    ['Site', <code>{r.site}</code>],
    ['Clock', <code>{r.hlc}</code>],
    ['Hash', <code>{r.hash}</code>],
    ['Previous hash', <code>{r.prev}</code>],
  ];
  if (r.signs)
    fields.push([
      'Signs',
      <>
        <Link to={`/audit/${encodeURIComponent(r.signs.record)}`}>
          record <code>{r.signs.record}</code>
        </Link>{' '}
        — {r.signs.meaning}
      </>,
    ]);
  return (
    <>
      <div className="page-head">
        <h1>
          Change record #{r.seq}: {storedName(r.operation)}
        </h1>
      </div>
      <FieldList fields={fields} />
      <Signatures record={r} />
      <section className="section" aria-label="Changes">
        <h2>Changes</h2>
        {r.events.length === 0 ? (
          <p className="empty">
            No events
            {r.ledger.length > 0 ? ': its stock ledger entries below are what it did' : ''}.
          </p>
        ) : (
          <ul className="history">
            {r.events.map((e, i) => (
              <li key={i} className="history-item">
                <div className="history-head">
                  <strong className="history-what">{storedName(e.type)}</strong>{' '}
                  <Link to={objectUrl('', e.subject)}>
                    <code>{e.subject}</code>
                  </Link>
                </div>
                <EventDetail data={e.data} />
              </li>
            ))}
          </ul>
        )}
      </section>
      {r.ledger.length > 0 && <LedgerEntries record={r} />}
      {r.states.length > 0 && (
        <Fold title="Unit states" count={r.states.length}>
          <table className="list">
            <thead>
              <tr>
                <th>Unit</th>
                <th>State it was left in</th>
              </tr>
            </thead>
            <tbody>
              {r.states.slice(0, SHOWN).map(([unit, state]) => (
                <tr key={String(unit)}>
                  <td>
                    <Link to={objectUrl('', String(unit))}>
                      <code>{unit}</code>
                    </Link>
                  </td>
                  <td>
                    {state === null ? <span className="muted">—</span> : storedName(String(state))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <More record={r} total={r.states.length} />
        </Fold>
      )}
      <Fold title="Objects" count={r.objects.length}>
        <ul>
          {r.objects.slice(0, SHOWN).map((code) => (
            <li key={code}>
              <Link to={objectUrl('', code)}>
                <code>{code}</code>
              </Link>{' '}
              <Link to={`/audit?object=${encodeURIComponent(code)}`}>its records</Link>
            </li>
          ))}
        </ul>
        <More record={r} total={r.objects.length} />
      </Fold>
      {r.baseline !== undefined && (
        <Fold title="Starting state">
          <pre>{JSON.stringify(r.baseline, null, 2)}</pre>
        </Fold>
      )}
      <p className="hint">
        The hash is the SHA-256 of the record as stored with the previous hash; “Verify the change
        log” on <Link to="/audit">the audit page</Link> recomputes every one.
      </p>
    </>
  );
}

function Signatures({ record }: { record: ChangeDetail }) {
  if (record.signatures.length === 0) return null;
  return (
    <section className="section" aria-label="Signatures">
      <h2>Signatures</h2>
      <ul>
        {record.signatures.map((s) => (
          <li key={s.id}>
            {s.signer.name} — {s.meaning} — <time dateTime={s.at}>{formatDateTime(s.at)}</time> (
            <Link to={`/audit/${encodeURIComponent(s.id)}`}>record</Link>)
          </li>
        ))}
      </ul>
    </section>
  );
}

function LedgerEntries({ record }: { record: ChangeDetail }) {
  const code = (value: LedgerLine[number]) =>
    value === null ? (
      <span className="muted">—</span>
    ) : (
      <Link to={objectUrl('', String(value))} title={String(value)}>
        <code>{String(value).slice(0, 8)}</code>
      </Link>
    );
  return (
    <Fold title="Stock ledger entries" count={record.ledger.length}>
      <table className="list">
        <thead>
          <tr>
            <th>Entry</th>
            <th>Lot</th>
            <th>Part</th>
            <th>Location</th>
            <th>Status</th>
            <th className="num">Quantity</th>
            <th>Reference</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {record.ledger
            .slice(0, SHOWN)
            .map(([, type, lot, part, location, status, quantity, ref, note], i) => (
              <tr key={i}>
                <td>{storedName(String(type))}</td>
                <td className="code-cell">{code(lot ?? null)}</td>
                <td className="code-cell">{code(part ?? null)}</td>
                <td className="code-cell">{code(location ?? null)}</td>
                <td>{storedName(String(status))}</td>
                <td className="num">{formatQuantity(toUnits(Number(quantity)))}</td>
                <td className="code-cell">{code(ref ?? null)}</td>
                <td>{note}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <More record={record} total={record.ledger.length} />
    </Fold>
  );
}
