import { useAction } from '../hooks/useAction.js';
import { ErrorMessage } from './ErrorMessage.js';

/** Archives an item in use, or restores an archived one; a failure shows beside the button. */
export function ArchiveButton<T extends { name: string; archived: boolean }>({
  item,
  update,
  onDone,
}: {
  item: T;
  /** Sends the change; answers the item as it is now. */
  update(archived: boolean): Promise<T>;
  onDone(updated: T): void;
}) {
  const action = useAction();
  const archive = !item.archived;
  const run = async () => {
    const updated = await action.run(() => update(archive));
    if (updated) onDone(updated);
  };
  return (
    <>
      <button
        type="button"
        disabled={action.busy}
        aria-label={`${archive ? 'Archive' : 'Restore'} ${item.name}`}
        onClick={() => void run()}
      >
        {action.busy ? (archive ? 'Archiving…' : 'Restoring…') : archive ? 'Archive' : 'Restore'}
      </button>
      {action.error !== null && <ErrorMessage error={action.error} />}
    </>
  );
}
