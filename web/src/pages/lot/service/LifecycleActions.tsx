import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/ApiContext.js';
import type { LifecycleOperation, UnitStatus } from '../../../api/types.js';
import { ErrorMessage } from '../../../components/ErrorMessage.js';
import { ReasonForm } from '../../../components/ReasonForm.js';
import { useAction } from '../../../hooks/useAction.js';
import type { ShipUnitsState } from '../../NewShipmentPage.js';
import { ReleaseForm } from './ReleaseForm.js';
import { ReturnForm } from './ReturnForm.js';
import { unitName } from './unit-form.js';

/** The transitions the unit's state allows now; each that needs input opens its form. */
export function LifecycleActions({
  unit,
  onDone,
}: {
  unit: UnitStatus;
  onDone(message: string): void;
}) {
  const api = useApi();
  const [open, setOpen] = useState<LifecycleOperation | null>(null);
  const repair = useAction();
  const name = unitName(unit);
  // The ship page opens with this unit in its list.
  const ship: ShipUnitsState = { units: [unit.code] };
  const done = (message: string) => {
    setOpen(null);
    onDone(message);
  };
  if (unit.allowed.length === 0) return null;

  return (
    <>
      <div className="actions" role="group" aria-label="Lifecycle">
        {unit.allowed.includes('ship') && (
          <Link className="button" to="/shipments/new" state={ship}>
            Ship…
          </Link>
        )}
        {unit.allowed.includes('return') && (
          <button type="button" onClick={() => setOpen('return')}>
            Return unit
          </button>
        )}
        {unit.allowed.includes('start_repair') && (
          <button
            type="button"
            disabled={repair.busy}
            onClick={async () => {
              const started = await repair.run(() => api.units.repair(unit.code, ''));
              if (started) done(`${name} is in repair.`);
            }}
          >
            Start repair
          </button>
        )}
        {unit.allowed.includes('release') && (
          <button type="button" onClick={() => setOpen('release')}>
            Release unit
          </button>
        )}
        {unit.allowed.includes('scrap') && (
          <button type="button" className="danger" onClick={() => setOpen('scrap')}>
            Scrap unit
          </button>
        )}
      </div>
      {repair.error !== null && <ErrorMessage error={repair.error} />}
      {open === 'return' && <ReturnForm unit={unit} onClose={() => setOpen(null)} onDone={done} />}
      {open === 'release' && (
        <ReleaseForm unit={unit} onClose={() => setOpen(null)} onDone={done} />
      )}
      {open === 'scrap' && (
        <ReasonForm
          label="Scrap the unit"
          name="scrapReason"
          hint="recorded in the unit's history; its stock leaves"
          action={['Scrap for good', 'Scrapping…']}
          danger
          autoFocus
          onClose={() => setOpen(null)}
          act={async (reason, run) => {
            const scrapped = await run(() => api.units.scrap(unit.code, reason));
            if (scrapped) done(`${name} is scrapped.`);
          }}
        >
          <h3>Scrap {name}</h3>
        </ReasonForm>
      )}
    </>
  );
}
