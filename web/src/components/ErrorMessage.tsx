import { ApiError } from '../api/client.js';

/**
 * The text people should read for an error: the server's message when there is one. Messages
 * start with the field they are about (`quantity: must be …`); `q`, the text of a scan, is
 * left out since the scanned text is quoted anyway.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    return error.field === 'q' ? error.message.replace(/^q: /, '') : error.message;
  }
  if (error instanceof Error) return `Something went wrong: ${error.message}`;
  return 'Something went wrong.';
}

export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="error" role="alert">
      <span>{errorText(error)}</span>
      {retry && (
        <button type="button" className="link-button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
