import { useRef, useState, type FormEvent } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { TraceNode } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { useAction } from '../../hooks/useAction.js';
import { SubmitActions } from '../../components/SubmitActions.js';

/**
 * Installs sub-assembly units into this one: scan each child's label (checked against the BOM)
 * one after another — the input is ready for the next scan after each install.
 */
export function InstallForm({
  parent,
  onDone,
}: {
  parent: TraceNode;
  onDone(message: string): void;
}) {
  const api = useApi();
  const [child, setChild] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(() =>
      api.installations.install({ child: child.trim(), parent: parent.code }),
    );
    if (!done) {
      input.current?.select();
      return;
    }
    setChild('');
    input.current?.focus();
    onDone(`Installed ${done.child.slice(0, 8)} into ${parent.label ?? parent.shortCode}.`);
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Install a unit">
      <h3>Install a sub-assembly</h3>
      <Field
        label="Unit to install"
        hint="scan or type its code or short code; scan the next one after each install"
        wide
      >
        <input
          ref={input}
          name="child"
          required
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={child}
          onChange={(e) => setChild(e.target.value)}
        />
      </Field>
      {action.error !== null && <ErrorMessage error={action.error} />}
      <SubmitActions label="Install" busyLabel="Installing…" busy={action.busy} />
    </form>
  );
}
