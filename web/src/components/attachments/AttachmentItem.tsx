import { useState } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { Attachment } from '../../api/types.js';
import { formatDateTime } from '../../format.js';
import { ReasonForm } from '../ReasonForm.js';
import { formatSize } from '../../format.js';

/** One file: a thumbnail for images, a preview toggle for PDF, download and remove. */
export function AttachmentItem({
  attachment: a,
  canWrite,
  onRemoved,
}: {
  attachment: Attachment;
  canWrite: boolean;
  onRemoved: () => void;
}) {
  const api = useApi();
  const [previewing, setPreviewing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const isImage = a.mediaType.startsWith('image/');
  const isPdf = a.mediaType === 'application/pdf';

  return (
    <li className="attachment" aria-label={a.fileName}>
      <div className="attachment-row">
        {isImage ? (
          <a href={a.url} target="_blank" rel="noreferrer" className="thumb-link">
            <img className="thumb" src={a.url} alt={a.fileName} loading="lazy" />
          </a>
        ) : (
          <span className="thumb file-icon" aria-hidden="true">
            {isPdf
              ? 'PDF'
              : (a.fileName.split('.').pop() ?? '').slice(0, 4).toUpperCase() || 'FILE'}
          </span>
        )}
        <div className="attachment-info">
          <a className="attachment-name" href={a.url} download={a.fileName}>
            {a.fileName}
          </a>
          <span className="muted">
            {formatSize(a.size)} · {a.createdBy.name} ·{' '}
            <time dateTime={a.createdAt}>{formatDateTime(a.createdAt)}</time>
          </span>
          {a.note && <span className="attachment-note">{a.note}</span>}
          <div className="actions">
            <a className="button" href={a.url} download={a.fileName}>
              Download <span className="visually-hidden">{a.fileName}</span>
            </a>
            {isPdf && (
              <button
                type="button"
                aria-expanded={previewing}
                onClick={() => setPreviewing((p) => !p)}
              >
                {previewing ? 'Hide preview' : 'Preview'}{' '}
                <span className="visually-hidden">{a.fileName}</span>
              </button>
            )}
            {canWrite && !removing && (
              <button type="button" onClick={() => setRemoving(true)}>
                Remove <span className="visually-hidden">{a.fileName}</span>
              </button>
            )}
          </div>
        </div>
      </div>
      {isPdf && previewing && (
        <>
          <iframe className="pdf-preview" src={a.url} title={`Preview of ${a.fileName}`} />
          {/* Phone browsers often show no PDF inside a page: a tab of its own works. */}
          <a className="pdf-open" href={a.url} target="_blank" rel="noreferrer">
            Open {a.fileName} in a new tab
          </a>
        </>
      )}
      {removing && (
        <ReasonForm
          label={`Remove ${a.fileName}`}
          name="reason"
          hint="Recorded in the history; an admin can still retrieve the file."
          action={['Remove file', 'Removing…']}
          danger
          autoFocus
          onClose={() => setRemoving(false)}
          act={async (reason, run) => {
            const done = await run(() => api.attachments.remove(a.code, reason));
            if (done) onRemoved();
          }}
        />
      )}
    </li>
  );
}
