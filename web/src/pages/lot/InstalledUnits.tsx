import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import type { TraceNode } from '../../api/types.js';
import { Fold } from '../../components/Fold.js';
import { formatDateTime } from '../../format.js';
import { RemoveForm } from './RemoveForm.js';

/** The sub-assembly units installed in this one, each removable by editors; folded on a phone. */
export function InstalledUnits({
  root,
  canWrite,
  onChanged,
}: {
  root: TraceNode;
  canWrite: boolean;
  onChanged(message: string): void;
}) {
  const [removing, setRemoving] = useState<TraceNode | null>(null);
  const installed = root.children.filter((c) => c.via?.type === 'installed');
  return (
    <Fold title="Installed sub-assemblies" count={installed.length}>
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
    </Fold>
  );
}
