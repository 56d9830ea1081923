import type { LiveUpdate } from '../hooks/useLiveEvents.js';
import { formatDateTime } from '../format.js';

/** A quiet line saying that what the page shows was changed elsewhere and has been reloaded. */
export function LiveUpdated({ update }: { update: LiveUpdate | null }) {
  if (!update) return null;
  return (
    // Announced politely, but not a `status`: the page's own notices are that.
    <p className="live-updated muted" aria-live="polite" data-testid="live-updated">
      Updated {formatDateTime(update.at)} by {update.by}
    </p>
  );
}
