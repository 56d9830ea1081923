import type { BomEntry } from '../../api/types.js';
import { plural } from '../../format.js';

/** The stages a BOM's entries define; a stage of DNP entries only places nothing. */
export function StageList({ entries }: { entries: BomEntry[] }) {
  const stages = [...new Set(entries.map((e) => e.stage))].sort((a, b) => a - b);
  return (
    <p className="summary" data-testid="stages">
      {plural(stages.length, 'stage')}:{' '}
      {stages
        .map((stage) => {
          const own = entries.filter((e) => e.stage === stage);
          const places = own.filter((e) => !e.dnp).length;
          return places === 0
            ? `${stage} (documentation only)`
            : `${stage} (${plural(places, 'entry', 'entries')})`;
        })
        .join(', ')}
    </p>
  );
}
