import { stageLabel } from '@domain/bom-stage.js';
import { objectUrl } from '@domain/object-url.js';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { BomEntry, BomStage } from '../../api/types.js';
import { formatQuantity } from '../../format.js';

interface BomTableProps {
  entries: BomEntry[];
  stages: BomStage[];
  /** With selection: a checkbox per line (the editor's "set stage of many lines"). */
  selected?: ReadonlySet<number>;
  onSelect?(position: number, on: boolean): void;
  /** The editor's buttons for a line. */
  actions?(entry: BomEntry): ReactNode;
}

/** A project's BOM: one row per entry, in position order, stages shown by name. */
export function BomTable({ entries, stages, selected, onSelect, actions }: BomTableProps) {
  const names = new Map(stages.map((s) => [s.stage, s.name]));
  return (
    <div className="table-scroll">
      <table className="list stack" aria-label="BOM">
        <thead>
          <tr>
            {onSelect && <th aria-label="Select" />}
            <th className="num">#</th>
            <th>Designators</th>
            <th>Part</th>
            <th className="num">Per unit</th>
            <th>Stage</th>
            <th>DNP</th>
            <th>Substitutes</th>
            <th>Attrition</th>
            {actions && <th aria-label="Change" />}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.position} className={e.dnp ? 'dnp' : undefined}>
              {onSelect && (
                <td data-label="Select">
                  <input
                    type="checkbox"
                    aria-label={`Select line ${e.position}`}
                    checked={selected?.has(e.position) ?? false}
                    onChange={(ev) => onSelect(e.position, ev.target.checked)}
                  />
                </td>
              )}
              <td data-label="#" className="num">
                {e.position}
              </td>
              <td data-label="Designators">{e.designators.join(', ')}</td>
              <td data-label="Part">
                <Link to={objectUrl('', e.part.code)}>{e.part.name}</Link>
                {e.part.mpn && !e.part.name.includes(e.part.mpn) && (
                  <span className="muted"> · {e.part.mpn}</span>
                )}
                {e.comments && <div className="hint">{e.comments}</div>}
              </td>
              <td data-label="Per unit" className="num">
                {formatQuantity(e.quantity, e.part.unit)}
              </td>
              <td data-label="Stage">{stageLabel(e.stage, names.get(e.stage))}</td>
              <td data-label="DNP">{e.dnp ? 'DNP' : ''}</td>
              <td data-label="Substitutes">
                {e.substitutes.length === 0
                  ? ''
                  : e.substitutes.map((s, i) => (
                      <span key={s.code}>
                        {i > 0 && ', '}
                        <Link to={objectUrl('', s.code)}>{s.name}</Link>
                      </span>
                    ))}
                {e.substitutes.length > 0 && !e.allowSubstitutes && (
                  <span className="muted"> (not allowed)</span>
                )}
              </td>
              <td data-label="Attrition">{attrition(e)}</td>
              {actions && (
                <td data-label="Change" className="row-actions">
                  {actions(e)}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `2.5 % + 10 pcs`, or nothing without attrition. */
function attrition(e: BomEntry): string {
  const parts = [];
  if (e.attritionPercent) parts.push(`${formatQuantity(e.attritionPercent)} %`);
  if (e.attritionFixed) parts.push(formatQuantity(e.attritionFixed, e.part.unit));
  return parts.join(' + ');
}
