import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { UnitStatus } from '../../api/types.js';
import { UnitTestsBadge } from '../../components/TestStatusBadge.js';
import { UNIT_STATE_LABELS } from '../../format-builds.js';

/** The units scanned for a shipment so far, with their state and tests, each removable. */
export function ScannedUnits({
  units,
  onRemove,
}: {
  units: UnitStatus[];
  onRemove(code: string): void;
}) {
  if (units.length === 0)
    return <p className="empty">No units yet: scan the label of each unit that goes out.</p>;
  return (
    <table className="list stack" aria-label="Units to ship">
      <thead>
        <tr>
          <th>Unit</th>
          <th>Part</th>
          <th>State</th>
          <th>Tests</th>
          <th>Actions</th>
        </tr>
      </thead>
      <tbody>
        {units.map((u) => {
          const name = u.label ?? u.shortCode;
          return (
            <tr key={u.code}>
              <td data-label="Unit">
                <Link to={objectUrl('', u.code)} target="_blank">
                  <code>{name}</code>
                </Link>
              </td>
              <td data-label="Part">{u.part.name}</td>
              <td data-label="State">{UNIT_STATE_LABELS[u.state]}</td>
              <td data-label="Tests">
                <UnitTestsBadge status={u.tests} />
              </td>
              <td data-label="Actions">
                <button type="button" className="link-button" onClick={() => onRemove(u.code)}>
                  Remove {name}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
