import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { Build, TimelineEvent } from '../../api/types.js';
import { formatDateTime, formatQuantity, plural } from '../../format.js';

/**
 * What happened to the build, oldest first: its start, each completion with its units, lots and
 * note, scraps, and its finish or cancellation with their notes.
 */
export function BuildTimeline({ build, items }: { build: Build; items: TimelineEvent[] }) {
  return (
    <ol className="timeline" aria-label="Timeline">
      {items.map((e, i) => (
        <li key={i} data-testid={`timeline-${e.type}`}>
          <span className="muted">
            {formatDateTime(e.at)} · {e.actor}
          </span>{' '}
          <strong>{title(e, build)}</strong>
          {e.type === 'stage_completed' && e.consumed.length > 0 && (
            <ul>
              {e.consumed.map((c) => (
                <li key={`${c.entryNo}/${c.lot.code}`}>
                  Entry {c.entryNo}: {formatQuantity(c.quantity)} {c.part.name} from{' '}
                  <Link to={objectUrl('', c.lot.code)}>
                    <code>{c.lot.shortCode}</code>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {e.note && <p className="timeline-note">{e.note}</p>}
        </li>
      ))}
    </ol>
  );
}

function title(e: TimelineEvent, build: Build): string {
  switch (e.type) {
    case 'started':
      return `Started: ${plural(e.quantity, 'unit')}`;
    case 'stage_completed':
      return `Stage ${e.stage} completed for ${plural(e.units, 'unit')}${
        build.serialized ? ` (${e.serials})` : ''
      }${e.consumed.length === 0 ? ': nothing consumed' : ''}`;
    case 'unit_scrapped':
      return `Unit ${e.unit.label} scrapped`;
    case 'finished':
      return e.incomplete.length === 0
        ? 'Finished'
        : `Finished with ${e.incomplete.map((m) => `stage ${m.stage} missing for ${m.units}`).join('; ')}`;
    case 'cancelled':
      return 'Cancelled';
    case 'signed':
      return `Signed by ${e.actor} — ${e.meaning} — ${formatDateTime(e.at)}`;
  }
}
