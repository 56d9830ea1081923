import { objectUrl } from '@domain/object-url.js';
import { MAX_RECEIVE_ROWS } from '@domain/receive-csv.js';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import type { BatchReceiveResult } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { LocationPicker } from '../../components/LocationPicker.js';
import { useSessionList } from '../../components/scan/useSessionList.js';
import { useAction } from '../../hooks/useAction.js';
import { CsvRows } from './CsvRows.js';
import { ReceiveRowsTable } from './ReceiveRowsTable.js';
import { ScanLabels } from './ScanLabels.js';
import { rowError, rowId, toBatchRow, type ReceiveRow } from './receive-rows.js';
import { SHORTAGES_PARAM, parseShortages } from '../../shortage-link.js';

type Mode = 'scan' | 'file';

/**
 * Receive many lots at once: rows from scanned bag labels or from a CSV file, checked and
 * edited here, then received together — all rows or none, new parts with them — and their lot
 * labels printed. Opened from a build's shortages, it starts with the short parts.
 */
export function ReceiveManyPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  // Kept for the tab: a scanning session survives a look at another page.
  const [rows, setRows] = useSessionList<ReceiveRow>('tracelot.receive-rows');
  const [mode, setMode] = useState<Mode>('scan');
  const [location, setLocation] = useState('');
  const [done, setDone] = useState<BatchReceiveResult | null>(null);
  const action = useAction();
  const { run } = action;
  const update = (next: ReceiveRow[]) => setRows(() => next);

  // A build's shortages: one row per short part, with the quantity it misses.
  const shortages = params.get(SHORTAGES_PARAM);
  useEffect(() => {
    if (!shortages) return;
    const wanted = parseShortages(shortages);
    // Dropping the parameter at once makes this run once: `run` changes on every render.
    setParams({ mode: 'many' }, { replace: true });
    void run(async () => {
      const parts = await Promise.all(wanted.map((w) => api.parts.get(w.part)));
      setRows(() =>
        parts.map((p, i) => ({
          id: rowId(),
          values: { quantity: String(wanted[i]!.quantity), mpn: p.mpn },
          part: { code: p.code, name: p.name, shortCode: p.shortCode },
          candidates: [],
          createPart: false,
        })),
      );
      setMode('file');
    });
  }, [api, shortages, setRows, setParams, run]);

  const receive = async () => {
    const result = await action.run(() =>
      api.stock.receiveBatch({ location, rows: rows.map(toBatchRow) }),
    );
    if (!result) return;
    setDone(result);
    setRows(() => []);
  };

  const problem = rowError(action.error);
  const tooMany = rows.length > MAX_RECEIVE_ROWS;
  const ready = rows.length > 0 && location !== '' && !tooMany;
  return (
    <>
      <h1>Receive many lots</h1>
      <p>
        <Link to="/receive">Receive one lot</Link> instead.
      </p>
      {done && <ReceivedLots result={done} />}
      <div className="segmented" role="radiogroup" aria-label="Add rows by">
        {(
          [
            ['scan', 'Scanning bag labels'],
            ['file', 'A CSV file'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className={mode === value ? 'active' : undefined}>
            <input
              type="radio"
              name="mode"
              value={value}
              checked={mode === value}
              onChange={() => setMode(value)}
            />
            {label}
          </label>
        ))}
      </div>
      {mode === 'scan' ? (
        <ScanLabels rows={rows} onRow={(row) => update([...rows, row])} />
      ) : (
        <CsvRows onRows={(added) => update([...rows, ...added])} />
      )}
      <section className="card form" aria-label="Receive">
        <h2 className="field-wide">
          {rows.length === 0 ? 'Rows' : `${rows.length} row${rows.length === 1 ? '' : 's'}`}
        </h2>
        {rows.length === 0 ? (
          <p className="empty field-wide">
            No rows yet: scan bag labels or read a CSV file above. Every row becomes a new lot.
          </p>
        ) : (
          <div className="field-wide">
            <ReceiveRowsTable rows={rows} onChange={update} problem={problem} />
          </div>
        )}
        <LocationPicker value={location} onChange={setLocation} />
        {action.error !== null &&
          (problem ? (
            <p className="error field-wide" role="alert">
              Nothing was received: row {problem.row + 1} — {problem.reason}
            </p>
          ) : (
            <ErrorMessage error={action.error} />
          ))}
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={action.busy || !ready}
            onClick={receive}
          >
            {action.busy
              ? 'Receiving…'
              : `Receive ${rows.length} lot${rows.length === 1 ? '' : 's'}`}
          </button>
          {rows.length > 0 && (
            <button type="button" onClick={() => update([])} disabled={action.busy}>
              Clear the rows
            </button>
          )}
        </div>
        {tooMany && (
          <p className="error field-wide" role="alert">
            At most {MAX_RECEIVE_ROWS.toLocaleString()} rows per receipt: receive these in parts.
          </p>
        )}
        {!location && rows.length > 0 && (
          <p className="hint field-wide">Choose the location the lots go to.</p>
        )}
      </section>
    </>
  );
}

/** What was received, with the lots' labels to print at once. */
function ReceivedLots({ result }: { result: BatchReceiveResult }) {
  const codes = result.lots.map((l) => l.code).join(',');
  const n = result.lots.length;
  return (
    <div className="card" role="status" aria-label="Received">
      <p className="success">
        Received {n} lot{n === 1 ? '' : 's'}
        {result.createdParts.length > 0 &&
          ` and created ${result.createdParts.length} part${result.createdParts.length === 1 ? '' : 's'}`}
        .
      </p>
      <p>
        <Link to={`/labels?codes=${codes}`} className="button primary">
          Print their labels
        </Link>
      </p>
      <details>
        <summary>The new lots</summary>
        <ul>
          {result.lots.map((l) => (
            <li key={l.code}>
              <Link to={objectUrl('', l.code)}>{l.shortCode}</Link>: {l.quantity}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
