import { Link } from 'react-router';
import type { ReceiveState } from './scan-outcome.js';

/** One scan as the history shows it; `path` (and `state`) is where clicking it leads. */
export interface HistoryEntry {
  id: string;
  at: string;
  /** The scanned text, control characters made visible. */
  text: string;
  summary: string;
  path?: string;
  state?: ReceiveState;
  failed?: boolean;
}

/** The scans of this tab, latest first; each that named something links to it. */
export function ScanHistory({ entries, onClear }: { entries: HistoryEntry[]; onClear(): void }) {
  return (
    <section className="section" aria-labelledby="scan-history-title">
      <div className="section-head">
        <h2 id="scan-history-title">History</h2>
        {entries.length > 0 && (
          <button type="button" className="link-button" onClick={onClear}>
            Clear history
          </button>
        )}
      </div>
      {entries.length === 0 ? (
        <p className="empty">No scans yet in this tab.</p>
      ) : (
        <ol className="scan-history" aria-label="Scan history">
          {entries.map((entry) => (
            <li key={entry.id} className={entry.failed ? 'failed' : undefined}>
              {entry.path ? (
                <Link to={entry.path} state={entry.state}>
                  {entry.summary}
                </Link>
              ) : (
                <span>{entry.summary}</span>
              )}
              <code className="scanned-text">{entry.text}</code>
              <time dateTime={entry.at}>{new Date(entry.at).toLocaleTimeString()}</time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
