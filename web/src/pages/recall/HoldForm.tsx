import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { HoldResult } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { SignatureFields, useSignature } from '../../components/signature/SignatureFields.js';
import { formatQuantity, plural, STATUS_LABELS } from '../../format.js';
import { useAction } from '../../hooks/useAction.js';

/**
 * "Hold all matching stock": after a confirmation, every on-hand and in-production balance of
 * the lot and of everything that may contain it changes to held, in one step.
 */
export function HoldForm({
  code,
  shortCode,
  affected,
  onDone,
}: {
  code: string;
  shortCode: string;
  affected: number;
  onDone(): void;
}) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  // Asked for, not filled in: the note is the only record of why the stock was held.
  const [note, setNote] = useState('');
  const [result, setResult] = useState<HoldResult | null>(null);
  const action = useAction();
  const { signing, signature, setSignature, body } = useSignature(['recall_held'], action.error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const held = await action.run(() => api.recall.hold(code, { note, ...body }));
    if (!held) return;
    setResult(held);
    setConfirming(false);
    onDone();
  };

  return (
    <div className="hold">
      {result && <HoldAnswer result={result} />}
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Hold all matching stock…
        </button>
      ) : (
        <form className="card form" onSubmit={submit} aria-label="Hold all matching stock">
          <h3>Hold all matching stock?</h3>
          <p className="field-wide">
            Every on-hand and in-production balance of lot {shortCode} and of the{' '}
            {plural(affected, 'unit or lot', 'units and lots')} that may contain it changes to{' '}
            <strong>Held</strong>: nothing held is picked for builds. Each change is recorded with
            this note.
          </p>
          <Field label="Note" hint="why: the recall, a reference" wide>
            <input
              name="holdNote"
              required
              maxLength={1000}
              placeholder="e.g. RMA 12: supplier notice of a bad reel"
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </Field>
          {signing && (
            <SignatureFields operation="recall_held" value={signature} onChange={setSignature} />
          )}
          {action.error !== null && <ErrorMessage error={action.error} />}
          <div className="actions">
            <button type="submit" className="danger" disabled={action.busy}>
              {action.busy ? 'Holding…' : 'Hold all'}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep as is
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function HoldAnswer({ result }: { result: HoldResult }) {
  if (result.balances === 0) {
    return (
      <p className="success" role="status">
        Nothing to hold: no on-hand or in-production stock is left that may contain the lot.
      </p>
    );
  }
  return (
    <p className="success" role="status" data-testid="hold-result">
      Held {plural(result.balances, 'balance')} of {plural(result.lots, 'lot')}:{' '}
      {result.byStatus
        .map(
          (s) =>
            `${STATUS_LABELS[s.status].toLowerCase()} ${formatQuantity(s.quantity)} (${plural(s.balances, 'balance')})`,
        )
        .join(', ')}
      .
    </p>
  );
}
