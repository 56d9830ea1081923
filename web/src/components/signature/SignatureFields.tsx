import {
  SIGNATURE_MEANINGS,
  signatureManifestation,
  type SignableOperation,
  type SignatureMeaning,
} from '@domain/signature.js';
import { useState } from 'react';
import { useApi } from '../../api/ApiContext.js';
import { ApiError } from '../../api/client.js';
import type { SignatureInput, SignatureSettings } from '../../api/types.js';
import { useLoad } from '../../hooks/useLoad.js';

const MEANING_LABELS: Record<SignatureMeaning, string> = {
  approved: 'I approve',
  reviewed: 'I reviewed',
  performed: 'I performed',
};

/**
 * Whether a form must ask for a signature: the operation requires one (the settings), or the
 * server refused it for want of one (settings changed since the page loaded).
 */
export function needsSignature(
  settings: SignatureSettings | undefined,
  operations: readonly SignableOperation[],
  error: unknown,
): boolean {
  const required = settings?.operations.some((o) => o.required && operations.includes(o.operation));
  return (
    required === true ||
    (error instanceof ApiError && error.field?.startsWith('signature') === true)
  );
}

/**
 * A form's signature: whether `operations` need one now (see needsSignature), the signature
 * entered, and what to send with the request (`{ signature }` only while it is asked for).
 */
export function useSignature(operations: readonly SignableOperation[], error: unknown) {
  const api = useApi();
  const settings = useLoad((signal) => api.settings.signatures(signal), []);
  const [signature, setSignature] = useState<SignatureInput>({ password: '', meaning: 'approved' });
  const signing = needsSignature(settings.data, operations, error);
  return {
    signing,
    signature,
    setSignature,
    body: signing ? { signature } : {},
  };
}

/**
 * The electronic signature of a confirm dialog (21 CFR 11.50/11.200): the meaning chosen, the
 * signer's password entered again, and the manifestation that says what signing means. The
 * signer's name and the time are added by the server.
 */
export function SignatureFields({
  operation,
  value,
  onChange,
}: {
  operation: SignableOperation;
  value: SignatureInput;
  onChange(value: SignatureInput): void;
}) {
  return (
    <fieldset className="field-wide signature" aria-label="Electronic signature">
      <legend>Electronic signature</legend>
      <div role="radiogroup" aria-label="Meaning">
        {SIGNATURE_MEANINGS.map((meaning) => (
          <label key={meaning} className="check">
            <input
              type="radio"
              name="signatureMeaning"
              value={meaning}
              checked={value.meaning === meaning}
              onChange={() => onChange({ ...value, meaning })}
            />
            {MEANING_LABELS[meaning]}
          </label>
        ))}
      </div>
      <label>
        Your password
        <input
          type="password"
          name="signaturePassword"
          autoComplete="current-password"
          required
          value={value.password}
          onChange={(e) => onChange({ ...value, password: e.target.value })}
        />
      </label>
      <p className="hint" data-testid="signature-manifestation">
        {signatureManifestation(value.meaning, operation)} Your name, the time and the meaning are
        recorded with the change.
      </p>
    </fieldset>
  );
}
