import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { Build } from '../api/types.js';
import { formatDateTime, formatQuantity } from '../format.js';
import { BUILD_STATUS_LABELS } from '../format-builds.js';

/** Builds, newest first: which project, how many units, how far along. */
export function BuildsTable({ builds, project = true }: { builds: Build[]; project?: boolean }) {
  return (
    <table className="list stack" aria-label="Builds">
      <thead>
        <tr>
          <th>Build</th>
          {project && <th>Project</th>}
          <th className="num">Units</th>
          <th>Status</th>
          <th>Stages</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {builds.map((b) => (
          <tr key={b.code}>
            <td data-label="Build">
              <Link to={objectUrl('', b.code)}>
                <code>{b.shortCode}</code>
              </Link>
            </td>
            {project && (
              <td data-label="Project">
                <Link to={objectUrl('', b.project.code)}>{b.project.name}</Link>
              </td>
            )}
            <td data-label="Units" className="num">
              {formatQuantity(b.quantity)}
              {!b.serialized && <span className="muted"> (one lot)</span>}
            </td>
            <td data-label="Status">
              <span className={`status status-${b.status}`}>{BUILD_STATUS_LABELS[b.status]}</span>
            </td>
            <td data-label="Stages">{stageSummary(b)}</td>
            <td data-label="Started">{formatDateTime(b.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `1: 5/5 · 2: 2/5` — units that completed each stage, of all units. */
function stageSummary(b: Build): string {
  return b.stages
    .map((s) => `${s.stage}: ${formatQuantity(s.completedUnits)}/${formatQuantity(b.units.total)}`)
    .join(' · ');
}
