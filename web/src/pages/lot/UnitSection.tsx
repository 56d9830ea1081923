import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import type { TraceNode, TraceTree } from '../../api/types.js';
import { FieldList } from '../../components/FieldList.js';
import { formatDateTime } from '../../format.js';
import { UNIT_STATE_LABELS } from '../../format-builds.js';
import { UnitSerials } from '../serials/UnitSerials.js';
import { InstallForm } from './InstallForm.js';
import { RemoveForm } from './RemoveForm.js';

/**
 * A device: its build and serial label, its state, where it is installed, and the
 * sub-assembly units installed in it (with install and remove for editors).
 */
export function UnitSection({
  root,
  installedIn: parent,
  canWrite,
  onChanged,
}: {
  root: TraceNode;
  installedIn: TraceTree['installedIn'];
  canWrite: boolean;
  onChanged(message: string): void;
}) {
  const [removing, setRemoving] = useState<TraceNode | null>(null);
  const installed = root.children.filter((c) => c.via?.type === 'installed');
  const open = ['in_production', 'available', 'in_repair'].includes(root.unitState ?? '');

  return (
    <section className="section">
      <h2>Unit</h2>
      <FieldList
        fields={[
          [
            'Build',
            root.build && (
              <Link to={objectUrl('', root.build.code)}>
                <code>{root.build.shortCode}</code>
              </Link>
            ),
          ],
          ['Serial', <span data-testid="unit-label">{root.label}</span>],
          ['Customer serial', <UnitSerials code={root.code} />],
          [
            'State',
            <span data-testid="unit-state">
              {root.unitState ? UNIT_STATE_LABELS[root.unitState] : ''}
            </span>,
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
      <h3 className="subhead">Installed sub-assemblies</h3>
      {installed.length === 0 ? (
        <p className="empty">No units are installed in this one.</p>
      ) : (
        <table className="list stack" aria-label="Installed units">
          <thead>
            <tr>
              <th>Unit</th>
              <th>Part</th>
              <th>Installed</th>
              {canWrite && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {installed.map((c) => (
              <tr key={c.code}>
                <td data-label="Unit">
                  <Link to={objectUrl('', c.code)}>
                    <code>{c.label ?? c.shortCode}</code>
                  </Link>
                </td>
                <td data-label="Part">{c.part.name}</td>
                <td data-label="Installed">
                  {c.via?.type === 'installed' &&
                    `${formatDateTime(c.via.installedAt)} by ${c.via.installedBy}`}
                </td>
                {canWrite && (
                  <td data-label="Actions">
                    <button type="button" className="link-button" onClick={() => setRemoving(c)}>
                      Remove {c.label ?? c.shortCode}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && removing && (
        <RemoveForm
          key={removing.code}
          child={removing}
          onClose={() => setRemoving(null)}
          onDone={(message) => {
            setRemoving(null);
            onChanged(message);
          }}
        />
      )}
      {canWrite && open && <InstallForm parent={root} onDone={onChanged} />}
    </section>
  );
}
