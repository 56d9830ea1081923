import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import type { Build, CompletionReversal, TimelineEvent } from '../../api/types.js';
import { ReasonForm } from '../../components/ReasonForm.js';
import { formatDateTime, formatQuantity, plural } from '../../format.js';

type BomLine = Extract<TimelineEvent, { type: 'bom_changed' }>['after'];

/**
 * What happened to the build, oldest first: its start, each completion with its units, lots and
 * note (struck through with the reason once reversed), reversals and BOM changes, scraps, and its
 * finish or cancellation with their notes. `onReversed` given (an editor, a build in progress),
 * each completion that counts has a "Reverse…" action.
 */
export function BuildTimeline({
  build,
  items,
  onReversed,
}: {
  build: Build;
  items: TimelineEvent[];
  onReversed?: (reversal: CompletionReversal) => void;
}) {
  const [reversing, setReversing] = useState<number | null>(null);
  return (
    <ol className="timeline" aria-label="Timeline">
      {items.map((e, i) => {
        const reversed = e.type === 'stage_completed' ? e.reversed : null;
        return (
          <li
            key={i}
            data-testid={`timeline-${e.type}`}
            className={reversed ? 'timeline-reversed' : undefined}
          >
            <span className="muted">
              {formatDateTime(e.at)} · {e.actor}
            </span>{' '}
            <strong>{title(e, build)}</strong>
            {e.type === 'stage_completed' && e.consumed.length > 0 && (
              <ul className="timeline-lots">
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
            {reversed && (
              <p className="timeline-reversal" data-testid="reversal">
                Reversed {formatDateTime(reversed.at)} by {reversed.actor}: {reversed.reason}
              </p>
            )}
            {e.type === 'stage_completed' && !reversed && onReversed && (
              <>
                {reversing !== e.completion && (
                  <button type="button" onClick={() => setReversing(e.completion)}>
                    Reverse…
                  </button>
                )}
                {reversing === e.completion && (
                  <ReverseForm
                    build={build.code}
                    event={e}
                    onClose={() => setReversing(null)}
                    onDone={(r) => {
                      setReversing(null);
                      onReversed(r);
                    }}
                  />
                )}
              </>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** Asks why a completion is reversed, then reverses it. */
function ReverseForm({
  build,
  event,
  onClose,
  onDone,
}: {
  build: string;
  event: Extract<TimelineEvent, { type: 'stage_completed' }>;
  onClose(): void;
  onDone(reversal: CompletionReversal): void;
}) {
  const api = useApi();
  return (
    <ReasonForm
      label={`Reverse completion ${event.completion}`}
      name="reverseReason"
      hint="recorded in the build's history, e.g. the wrong reel"
      action={['Reverse completion', 'Reversing…']}
      danger
      autoFocus
      onClose={onClose}
      act={async (reason, run) => {
        const reversed = await run(() => api.builds.reverse(build, event.completion, reason));
        if (reversed) onDone(reversed);
      }}
    >
      <p className="hint field-wide">
        What it consumed goes back to the stock it came from, and its units miss stage {event.stage}{' '}
        again: complete the stage again with the right lots.
      </p>
    </ReasonForm>
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
    case 'completion_reversed':
      return `Completion of stage ${e.stage} for ${plural(e.units, 'unit')}${
        build.serialized ? ` (${e.serials})` : ''
      } reversed`;
    case 'bom_changed':
      return `BOM line ${e.entryNo} ${
        e.before === null ? 'added' : e.after === null ? 'removed' : 'changed'
      }: ${line(e.before)} → ${line(e.after)}`;
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

function line(l: BomLine): string {
  return l === null ? 'none' : `${formatQuantity(l.quantity)} × ${l.part.name} (stage ${l.stage})`;
}
