import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { TraceNode, TraceTree, UnitStatus } from '../../api/types.js';
import { FieldList } from '../../components/FieldList.js';
import { TestStatusBadge } from '../../components/TestStatusBadge.js';
import { formatDateTime } from '../../format.js';
import { UNIT_STATE_LABELS } from '../../format-builds.js';
import { InstallForm } from './InstallForm.js';
import { LifecycleActions } from './service/LifecycleActions.js';

/**
 * What a person does with a device, first on its page: its state and tests at a glance, where
 * it went, and the actions its state allows — ship, return, repair, release, scrap, install a
 * sub-assembly. (A unit's stock is never moved, counted or split by hand: its lifecycle does.)
 */
export function UnitSection({
  root,
  status,
  installedIn: parent,
  canWrite,
  onChanged,
}: {
  root: TraceNode;
  status: UnitStatus;
  installedIn: TraceTree['installedIn'];
  canWrite: boolean;
  onChanged(message: string): void;
}) {
  const open = ['in_production', 'available', 'in_repair'].includes(root.unitState ?? '');
  const shipment = status.shipment;
  return (
    <section className="section unit-panel" aria-label="Unit">
      <FieldList
        fields={[
          ['State', <span data-testid="lifecycle-state">{UNIT_STATE_LABELS[status.state]}</span>],
          [
            'Tests',
            status.tests ? (
              <TestStatusBadge status={status.tests} />
            ) : (
              <span className="muted">none defined for this part</span>
            ),
          ],
          [
            'Shipment',
            shipment ? (
              <>
                <Link to={objectUrl('', shipment.code)}>
                  {shipment.customer} · {shipment.reference}
                </Link>{' '}
                <span className="muted">{shipment.date}</span>
                {shipment.returnedAt && (
                  <span>
                    {' '}
                    · returned {formatDateTime(shipment.returnedAt)}: {shipment.returnReason}
                  </span>
                )}
              </>
            ) : (
              'Never shipped'
            ),
          ],
          [
            'Installed in',
            parent ? (
              <Link to={objectUrl('', parent.code)}>
                <code>{parent.label ?? parent.shortCode}</code>
              </Link>
            ) : (
              ''
            ),
          ],
        ]}
      />
      {canWrite && <LifecycleActions unit={status} onDone={onChanged} />}
      {canWrite && open && <InstallForm parent={root} onDone={onChanged} />}
    </section>
  );
}
