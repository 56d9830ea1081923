import { useState } from 'react';
import { useApi } from '../../api/ApiContext.js';
import { useSession } from '../../auth/session.js';
import { useLoad } from '../../hooks/useLoad.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { Loading } from '../Loading.js';
import { AttachmentItem } from './AttachmentItem.js';
import './attachments.css';
import { DropZone, UploadProgress } from './DropZone.js';
import { Notice } from '../Notice.js';

interface Upload {
  name: string;
  fraction: number;
}

/**
 * The files of one object (lot, part, build, project, location, service event): image
 * thumbnails, PDF previews, downloads; editors add files by drag-and-drop, by choosing them or
 * with a phone's camera, and remove them with a reason. `onChanged` runs after an upload or a
 * removal (the page's history shows both). `nested`: inside another section (a service event).
 */
export function AttachmentsSection({
  subject,
  onChanged,
  nested = false,
}: {
  subject: string;
  onChanged?: () => void;
  nested?: boolean;
}) {
  const api = useApi();
  const { canWrite } = useSession();
  const list = useLoad((signal) => api.attachments.list(subject, signal), [subject]);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const changed = (message: string) => {
    setNotice(message);
    list.reload();
    onChanged?.();
  };

  const send = async (files: File[]) => {
    if (files.length === 0) return;
    setError(null);
    setNotice(null);
    const done: string[] = [];
    // One after the other: a phone on a slow link finishes each file rather than all at once.
    for (const file of files) {
      setUploads([{ name: file.name, fraction: 0 }]);
      try {
        await api.attachments.upload(subject, file, (f) =>
          setUploads([{ name: file.name, fraction: f }]),
        );
        done.push(file.name);
      } catch (e) {
        setError(e);
        break;
      }
    }
    setUploads([]);
    if (done.length > 0)
      changed(done.length === 1 ? `Added ${done[0]}.` : `Added ${done.length} files.`);
  };

  const items = list.data?.items;
  return (
    <section
      className={nested ? 'attachments' : 'section attachments'}
      aria-labelledby={`files-${subject}`}
    >
      {nested ? (
        <h3 id={`files-${subject}`} className="visually-hidden">
          Files
        </h3>
      ) : (
        <h2 id={`files-${subject}`}>Files</h2>
      )}
      <Notice text={notice} />
      {list.error !== undefined && <ErrorMessage error={list.error} retry={list.reload} />}
      {list.loading && !items && <Loading what="the files" />}
      {items && items.length === 0 && (
        <p className="empty">
          No files yet.
          {canWrite && ' Add photos, test reports or datasheets below.'}
        </p>
      )}
      {items && items.length > 0 && (
        <ul className="attachment-list" aria-label="Files">
          {items.map((a) => (
            <AttachmentItem
              key={a.code}
              attachment={a}
              canWrite={canWrite}
              onRemoved={() => changed(`Removed ${a.fileName}.`)}
            />
          ))}
        </ul>
      )}
      {canWrite && (
        <DropZone onFiles={(files) => void send(files)} disabled={uploads.length > 0}>
          {uploads.map((u) => (
            <UploadProgress key={u.name} name={u.name} fraction={u.fraction} />
          ))}
          {error !== null && <ErrorMessage error={error} />}
        </DropZone>
      )}
    </section>
  );
}
