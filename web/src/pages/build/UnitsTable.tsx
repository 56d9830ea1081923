import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { BuildUnit } from '../../api/types.js';
import { UnitTestsBadge } from '../../components/TestStatusBadge.js';
import { UNIT_STATE_LABELS } from '../../format-builds.js';

interface UnitsTableProps {
  units: BuildUnit[];
  /** Serials ticked for a stage completion; undefined: no ticking (viewers, finished builds). */
  selected?: Set<number> | undefined;
  onToggle?(serials: number[], on: boolean): void;
  onScrap?(unit: BuildUnit): void;
}

/** One page of a build's units: label, code, state, tests, the stages each has completed. */
export function UnitsTable({ units, selected, onToggle, onScrap }: UnitsTableProps) {
  const selectable = units.filter((u) => u.state !== 'scrapped');
  const allOn = selectable.length > 0 && selectable.every((u) => selected?.has(u.serial));
  return (
    <div className="table-scroll">
      <table className="list stack units" aria-label="Units">
        <thead>
          <tr>
            {selected && (
              <th>
                <input
                  type="checkbox"
                  aria-label="Tick every unit of this page"
                  checked={allOn}
                  onChange={() =>
                    onToggle?.(
                      selectable.map((u) => u.serial),
                      !allOn,
                    )
                  }
                />
              </th>
            )}
            <th>Unit</th>
            <th>Code</th>
            <th>State</th>
            <th>Tests</th>
            <th>Stages done</th>
            {onScrap && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr key={u.code} className={u.state === 'scrapped' ? 'dnp' : undefined}>
              {selected && (
                <td data-label="Tick">
                  <input
                    type="checkbox"
                    aria-label={`Tick ${u.label}`}
                    disabled={u.state === 'scrapped'}
                    checked={selected.has(u.serial)}
                    onChange={(e) => onToggle?.([u.serial], e.target.checked)}
                  />
                </td>
              )}
              <td data-label="Unit">
                <Link to={objectUrl('', u.code)}>{u.label}</Link>
                {u.customerSerials.length > 0 && (
                  <div className="hint">{u.customerSerials.join(', ')}</div>
                )}
              </td>
              <td data-label="Code">
                <code title={u.code}>{u.shortCode}</code>
              </td>
              <td data-label="State">{UNIT_STATE_LABELS[u.state]}</td>
              <td data-label="Tests">
                <UnitTestsBadge status={u.tests} />
              </td>
              <td data-label="Stages done">
                {u.stagesCompleted.length ? u.stagesCompleted.join(', ') : '—'}
              </td>
              {onScrap && (
                <td data-label="Actions">
                  {u.state !== 'scrapped' && (
                    <button type="button" className="link-button" onClick={() => onScrap(u)}>
                      Scrap {u.label}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
