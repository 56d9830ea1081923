import { useState } from 'react';
import type { ServiceEvent } from '../../../api/types.js';
import { AttachmentsSection } from '../../../components/attachments/AttachmentsSection.js';
import { formatDateTime } from '../../../format.js';
import { SERVICE_EVENT_LABELS } from './labels.js';

/** A unit's service events, oldest first, each with its files. */
export function ServiceEvents({ events }: { events: ServiceEvent[] }) {
  if (events.length === 0)
    return (
      <p className="empty">
        No service events yet: record inspections, rework and repairs with “Add event”.
      </p>
    );
  return (
    <table className="list stack" aria-label="Service history">
      <thead>
        <tr>
          <th>When</th>
          <th>Type</th>
          <th>What</th>
          <th>By</th>
          <th>Files</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.code}>
            <td data-label="When">{formatDateTime(e.at)}</td>
            <td data-label="Type">{SERVICE_EVENT_LABELS[e.type]}</td>
            <td data-label="What">
              {e.text}
              {Object.entries(e.customFields).map(([k, v]) => (
                <span key={k} className="muted">
                  {' '}
                  · {k}: {v}
                </span>
              ))}
            </td>
            <td data-label="By">{e.actor.name}</td>
            <td data-label="Files">
              {/* Photos and reports of the event: a repair report, the photos of a return. */}
              <EventFiles code={e.code} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** An event's files, loaded when opened: a unit may have hundreds of events. */
function EventFiles({ code }: { code: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="event-files" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Files of this event</summary>
      {open && <AttachmentsSection subject={code} nested />}
    </details>
  );
}
