import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { RecallHold } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { SignatureFields, useSignature } from '../../components/signature/SignatureFields.js';
import { signedByText } from '../../components/signature/SignedBy.js';
import { plural } from '../../format.js';
import { useAction } from '../../hooks/useAction.js';
import { useLoad } from '../../hooks/useLoad.js';

/**
 * The recall holds of a lot, each with its release; an open hold has a Release button that
 * opens the confirmation (with the electronic signature when one is required). `version`
 * changes when a hold was made, so the list is read again.
 */
export function RecallHolds({
  code,
  canWrite,
  version,
  onReleased,
}: {
  code: string;
  canWrite: boolean;
  version: number;
  onReleased(): void;
}) {
  const api = useApi();
  const holds = useLoad((signal) => api.recall.holds(code, signal), [code, version]);
  if (holds.error !== undefined) return <ErrorMessage error={holds.error} retry={holds.reload} />;
  if (!holds.data || holds.data.items.length === 0) return null;
  const released = () => {
    holds.reload();
    onReleased();
  };
  return (
    <section className="section">
      <h2>Holds</h2>
      <ul className="holds">
        {holds.data.items.map((h) => (
          <HoldItem key={h.operation} code={code} hold={h} canWrite={canWrite} onDone={released} />
        ))}
      </ul>
    </section>
  );
}

function HoldItem({
  code,
  hold,
  canWrite,
  onDone,
}: {
  code: string;
  hold: RecallHold;
  canWrite: boolean;
  onDone(): void;
}) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const action = useAction();
  const { signing, signature, setSignature, body } = useSignature(
    ['recall_released'],
    action.error,
  );
  const r = hold.release;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(() =>
      api.recall.release(code, { operation: hold.operation, note, ...body }),
    );
    if (!done) return;
    setConfirming(false);
    onDone();
  };

  return (
    <li data-testid="recall-hold">
      <p>
        Held {plural(hold.balances, 'balance')} of {plural(hold.lots, 'lot')}{' '}
        {signedByText(hold.by, hold.at, hold.signature)}: {hold.note}
      </p>
      <p data-testid="recall-hold-release">
        {r
          ? `Released ${signedByText(r.by, r.at, r.signature)}: ${plural(r.balances, 'balance')} back, ${r.skipped} skipped (moved or consumed since) — ${r.note}`
          : 'Still held.'}
      </p>
      {canWrite && !r && !confirming && (
        <button type="button" onClick={() => setConfirming(true)}>
          Release…
        </button>
      )}
      {confirming && (
        <form className="card form" onSubmit={submit} aria-label="Release the hold">
          <h3>Release this hold?</h3>
          <p className="field-wide">
            The balances it put on <strong>Held</strong> go back to the status they had; those moved
            or consumed since stay as they are.
          </p>
          <Field label="Note" hint="why the stock may be used again" wide>
            <input
              name="releaseNote"
              required
              maxLength={1000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </Field>
          {signing && (
            <SignatureFields
              operation="recall_released"
              value={signature}
              onChange={setSignature}
            />
          )}
          {action.error !== null && <ErrorMessage error={action.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={action.busy}>
              {action.busy ? 'Releasing…' : 'Release'}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep held
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
