import { ApiError } from '../api/client.js';
import { fieldMessage, type FieldLabels } from './field-labels.js';

/**
 * The text people should read for an error: the server's message when there is one. The API
 * names the field by its path (`items.0.quantity: must be …`); on screen the field is named as
 * the form labels it (`labels`, else the path in words: "Item 1 quantity must be …"). `q`, the
 * text of a scan, is left out since the scanned text is quoted anyway.
 */
export function errorText(error: unknown, labels?: FieldLabels): string {
  if (error instanceof ApiError) {
    if (!error.field || error.reason === error.message) return error.message;
    return fieldMessage(error.field, error.reason, labels);
  }
  if (error instanceof Error) return `Something went wrong: ${error.message}`;
  return 'Something went wrong.';
}

export function ErrorMessage({
  error,
  retry,
  labels,
}: {
  error: unknown;
  retry?: () => void;
  /** The form's labels of the fields it sends, by the API's path (see field-labels.ts). */
  labels?: FieldLabels | undefined;
}) {
  return (
    <div className="error" role="alert">
      <span>{errorText(error, labels)}</span>
      {retry && (
        <button type="button" className="link-button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
