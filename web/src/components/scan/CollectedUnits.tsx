import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import { plural } from '../../format.js';
import { useLoad } from '../../hooks/useLoad.js';
import type { ShipUnitsState } from '../../pages/NewShipmentPage.js';
import { UnitTestsBadge } from '../TestStatusBadge.js';
import { CompleteStageLink } from './CompleteStageLink.js';

/** A lot or unit collected in continuous mode. */
export interface CollectedUnit {
  code: string;
  shortCode: string;
  name: string;
}

/**
 * The units collected so far with their tests at a glance, each removable, and what can be done with all of them: ship
 * them, print their labels, or complete a stage of their build for them. (Installing takes one
 * unit at a time, on the parent unit's page.)
 */
export function CollectedUnits({
  units,
  onRemove,
  onClear,
}: {
  units: CollectedUnit[];
  onRemove(code: string): void;
  onClear(): void;
}) {
  const api = useApi();
  const codes = units.map((u) => u.code);
  const ship: ShipUnitsState = { units: codes };
  // Each unit's tests at a glance: one request for the whole list (lots have none).
  const key = codes.join(',');
  const statuses = useLoad(
    (signal) =>
      codes.length > 0
        ? api.units.statuses(codes, signal)
        : Promise.resolve({ units: [], notUnits: [] }),
    [key],
  );
  const tests = new Map(statuses.data?.units.map((u) => [u.code, u.tests]));
  return (
    <section className="section" aria-labelledby="collected-title">
      <div className="section-head">
        <h2 id="collected-title" data-testid="collected-count">
          {units.length === 0 ? 'Collected units' : `${plural(units.length, 'unit')} collected`}
        </h2>
        {units.length > 0 && (
          <button type="button" className="link-button" onClick={onClear}>
            Clear list
          </button>
        )}
      </div>
      {units.length === 0 ? (
        <p className="empty">Nothing collected yet: each lot or unit scanned is added here.</p>
      ) : (
        <>
          <ul className="collected" aria-label="Collected units">
            {units.map((u) => (
              <li key={u.code}>
                <Link to={objectUrl('', u.code)}>
                  <code>{u.shortCode}</code> <span>{u.name}</span>
                </Link>
                {tests.has(u.code) && <UnitTestsBadge status={tests.get(u.code) ?? null} />}
                <button type="button" className="link-button" onClick={() => onRemove(u.code)}>
                  Remove {u.shortCode}
                </button>
              </li>
            ))}
          </ul>
          <div className="actions collected-actions">
            <Link className="button primary" to="/shipments/new" state={ship}>
              Ship them
            </Link>
            <Link className="button" to={`/labels?codes=${codes.join(',')}`}>
              Print labels
            </Link>
            <CompleteStageLink codes={codes} />
          </div>
        </>
      )}
    </section>
  );
}
