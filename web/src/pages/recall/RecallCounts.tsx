import type { Recall } from '../../api/types.js';
import { formatQuantity, plural } from '../../format.js';
import { RECALL_STATE_LABELS } from '../../format-builds.js';

/** How many units and lots may contain the recalled lot: by level, by scope, by state. */
export function RecallCounts({ recall }: { recall: Recall }) {
  const { counts } = recall;
  return (
    <div className="recall-counts">
      <dl className="counts" data-testid="recall-counts">
        <div>
          <dt>Affected</dt>
          <dd data-testid="count-total">{formatQuantity(counts.total)}</dd>
        </div>
        <div>
          <dt>Units</dt>
          <dd data-testid="count-units">{formatQuantity(counts.units)}</dd>
        </div>
        <div>
          <dt>Other lots</dt>
          <dd data-testid="count-lots">{formatQuantity(counts.lots)}</dd>
        </div>
        <div>
          <dt>Exact</dt>
          <dd data-testid="count-unit-scoped">{formatQuantity(counts.unitScoped)}</dd>
        </div>
        <div>
          <dt>May contain</dt>
          <dd data-testid="count-build-scoped">{formatQuantity(counts.buildScoped)}</dd>
        </div>
      </dl>
      {counts.byLevel.length > 0 && (
        <p className="summary" data-testid="count-levels">
          By level:{' '}
          {counts.byLevel
            .map(
              (l) =>
                `${l.level}: ${[l.units && plural(l.units, 'unit'), l.lots && plural(l.lots, 'lot')]
                  .filter(Boolean)
                  .join(', ')}`,
            )
            .join(' · ')}
        </p>
      )}
      {counts.byState.length > 0 && (
        <p className="summary" data-testid="count-states">
          By state:{' '}
          {counts.byState
            .map((s) => `${RECALL_STATE_LABELS[s.state]} ${formatQuantity(s.count)}`)
            .join(' · ')}
        </p>
      )}
    </div>
  );
}
