import { stageLabel } from '@domain/bom-stage.js';
import type { Build } from '../../api/types.js';
import { formatQuantity } from '../../format.js';

/** Per stage: how many units have completed it, of all units of the build. */
export function StageProgress({ build }: { build: Build }) {
  const total = build.units.total;
  if (build.stages.length === 0) return <p className="empty">The BOM of this build is empty.</p>;
  return (
    <ol className="stages" aria-label="Stage progress">
      {build.stages.map((s) => (
        <li key={s.stage} className="stage" data-testid={`stage-${s.stage}`}>
          <div className="stage-head">
            <strong>{stageLabel(s.stage, s.name)}</strong>
            <span className="stage-count">
              {formatQuantity(s.completedUnits)} / {formatQuantity(total)} units
            </span>
          </div>
          <progress
            value={s.completedUnits}
            max={total || 1}
            aria-label={stageLabel(s.stage, s.name)}
          />
          <span className="hint">
            {s.placesParts
              ? `${s.entries} BOM ${s.entries === 1 ? 'entry' : 'entries'}`
              : 'documentation only: places no parts'}
          </span>
        </li>
      ))}
    </ol>
  );
}
