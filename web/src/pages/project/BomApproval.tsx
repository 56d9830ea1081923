import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { Bom } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { SignatureFields, useSignature } from '../../components/signature/SignatureFields.js';
import { signedByText } from '../../components/signature/SignedBy.js';
import { useAction } from '../../hooks/useAction.js';

/**
 * Whether the BOM's current revision is approved, and by whom; while it is not, an Approve
 * button opens the confirmation (with the electronic signature when one is required). The
 * revision sent is the one shown: a BOM changed meanwhile is refused, not approved unseen.
 */
export function BomApproval({
  bom,
  canWrite,
  onChanged,
}: {
  bom: Bom;
  canWrite: boolean;
  onChanged(): void;
}) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const action = useAction();
  const { signing, signature, setSignature, body } = useSignature(['bom_approved'], action.error);
  const a = bom.approval;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const approved = await action.run(() =>
      api.projects.approveBom(bom.project.code, { revision: bom.revision, note, ...body }),
    );
    if (!approved) return;
    setConfirming(false);
    onChanged();
  };

  return (
    <div className="bom-approval">
      <p data-testid="bom-approval">
        Revision {bom.revision} —{' '}
        {a ? `approved ${signedByText(a.by.name, a.at, a.signature)}` : 'not approved'}
        {a?.note && ` · ${a.note}`}
      </p>
      {canWrite && !a && !confirming && (
        <button type="button" onClick={() => setConfirming(true)}>
          Approve…
        </button>
      )}
      {confirming && (
        <form className="card form" onSubmit={submit} aria-label="Approve the BOM revision">
          <h3>Approve revision {bom.revision} of the BOM?</h3>
          <p className="field-wide">
            You approve the BOM as shown: {bom.entries.length} lines. A later change of the BOM
            makes a new revision, which needs its own approval.
          </p>
          <Field label="Note" hint="optional: the change order, the review" wide>
            <input
              name="approvalNote"
              maxLength={1000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </Field>
          {signing && (
            <SignatureFields operation="bom_approved" value={signature} onChange={setSignature} />
          )}
          {action.error !== null && <ErrorMessage error={action.error} />}
          <div className="actions">
            <button type="submit" className="primary" disabled={action.busy}>
              {action.busy ? 'Approving…' : 'Approve'}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
