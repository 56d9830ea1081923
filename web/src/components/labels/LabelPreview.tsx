import { useEffect, useState } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { PrintRequest } from '../../api/types.js';
import { plural } from '../../format.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { PrintToPrinter } from './PrintToPrinter.js';

interface Printed {
  /** The request it answers, as JSON: a change of settings hides an older preview. */
  for: string;
  url: string;
  count: number;
  format: 'pdf' | 'zpl';
  /** ZPL: the text, shown as it is. */
  text?: string;
}

/**
 * Prints the labels through the API and shows them: a PDF in a frame, ZPL as text; both can be
 * opened or downloaded from the blob: URL, which is revoked once replaced or left.
 */
export function LabelPreview({ request, fileName }: { request: PrintRequest; fileName: string }) {
  const api = useApi();
  const action = useAction();
  const [printed, setPrinted] = useState<Printed | null>(null);
  const key = JSON.stringify(request);
  const url = printed?.url;
  useEffect(() => (url ? () => URL.revokeObjectURL(url) : undefined), [url]);

  const preview = async () => {
    const answer = await action.run(() => api.labels.print(request));
    if (!answer) return setPrinted(null);
    const format = request.format ?? 'pdf';
    setPrinted({
      for: key,
      url: URL.createObjectURL(answer.blob),
      count: answer.count,
      format,
      ...(format === 'zpl' ? { text: await answer.blob.text() } : {}),
    });
  };
  const current = printed?.for === key ? printed : null;
  const name = `${fileName}.${current?.format ?? 'pdf'}`;

  return (
    <div className="label-preview">
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={action.busy}
          onClick={() => void preview()}
        >
          {action.busy ? 'Making the labels…' : current ? 'Preview again' : 'Preview'}
        </button>
        {current && (
          <>
            <a className="button" href={current.url} download={name}>
              Download
            </a>
            {current.format === 'pdf' && (
              <a className="button" href={current.url} target="_blank" rel="noreferrer">
                Open to print
              </a>
            )}
          </>
        )}
        <PrintToPrinter request={request} />
      </div>
      {action.error !== null && <ErrorMessage error={action.error} />}
      {current && (
        <>
          <p className="summary" role="status" data-testid="label-count">
            {plural(current.count, 'label')} ready
          </p>
          {current.format === 'pdf' ? (
            <iframe className="label-frame" title="Label preview" src={current.url} />
          ) : (
            <pre className="label-zpl" aria-label="ZPL">
              {current.text}
            </pre>
          )}
        </>
      )}
    </div>
  );
}
