import type { PickLine, PickList } from '../../api/types.js';
import { formatQuantity } from '../../format.js';
import { pickLineKey } from './usePickTicks.js';

/** One location of a pick list: a line per lot to take there, each ticked off when taken. */
export function PickListLocation({
  group,
  ticked,
  onTick,
}: {
  group: PickList['locations'][number];
  ticked(key: string): boolean;
  onTick(key: string): void;
}) {
  return (
    <section className="section pick-location" aria-label={`Location ${group.location.name}`}>
      <h2>{group.location.name}</h2>
      <ul className="pick-lines">
        {group.lines.map((line) => {
          const key = pickLineKey(group.location.code, line);
          return (
            <li key={key} className={ticked(key) ? 'picked' : ''}>
              <label>
                <input type="checkbox" checked={ticked(key)} onChange={() => onTick(key)} />
                <span>
                  <strong>
                    {formatQuantity(line.quantity, line.part.unit)} {line.part.name}
                  </strong>{' '}
                  from lot <code>{line.lot.shortCode}</code>
                  {line.lot.name && ` ${line.lot.name}`}
                  <br />
                  <span className="muted">{describeLine(line)}</span>
                </span>
              </label>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** `stage 1 · entry 3 (R1, R2) · received 2026-03-02 · vendor lot VL-1 · chosen by hand` */
function describeLine(line: PickLine): string {
  return [
    `stage ${line.stage} · entry ${line.entryNo}`,
    line.designators && `(${line.designators})`,
    `received ${line.lot.receivedAt.slice(0, 10)}`,
    line.lot.vendorLot && `vendor lot ${line.lot.vendorLot}`,
    line.lot.expiry && `expires ${line.lot.expiry}`,
    line.chosen && 'chosen by hand',
  ]
    .filter(Boolean)
    .join(' · ');
}
