import type { BomEntry, BomStage } from '../../api/types.js';
import { plural } from '../../format.js';

/**
 * The stages of a BOM, by name: a named stage without entries, or a stage of DNP entries only,
 * places nothing (documentation).
 */
export function StageList({ entries, named }: { entries: BomEntry[]; named: BomStage[] }) {
  const names = new Map(named.map((s) => [s.stage, s.name]));
  const stages = [...new Set([...entries.map((e) => e.stage), ...named.map((s) => s.stage)])].sort(
    (a, b) => a - b,
  );
  return (
    <p className="summary" data-testid="stages">
      {plural(stages.length, 'stage')}:{' '}
      {stages
        .map((stage) => {
          const own = entries.filter((e) => e.stage === stage);
          const places = own.filter((e) => !e.dnp).length;
          const name = names.get(stage);
          const label = name ? `${stage} · ${name}` : String(stage);
          return places === 0
            ? `${label} (documentation only)`
            : `${label} (${plural(places, 'entry', 'entries')})`;
        })
        .join(', ')}
    </p>
  );
}
