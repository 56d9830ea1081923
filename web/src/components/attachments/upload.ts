import { ApiError } from '../../api/client.js';
import type { Attachment } from '../../api/types.js';

/**
 * Sends one file's bytes to `url` (the API's raw upload) and reports progress as a fraction
 * 0..1. XMLHttpRequest, not fetch: only it reports upload progress. The server decides the
 * type from the content, so the file's own type is not sent.
 */
export function uploadFile(
  url: string,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status === 201) return resolve(body as Attachment);
      const error = (body as { error?: { code: string; message: string; field?: string } })?.error;
      reject(
        new ApiError(
          xhr.status,
          error ?? { code: 'http_error', message: `The upload failed (HTTP ${xhr.status}).` },
        ),
      );
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, {
          code: 'network_error',
          message: 'The upload did not reach the server: check the connection and try again.',
        }),
      );
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.onabort = () =>
      reject(new ApiError(0, { code: 'aborted', message: 'The upload was cancelled.' }));
    xhr.send(file);
  });
}

/** `2.4 MB`, `512 KB`, `12 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}
