import { cloneElement, useId, type ReactElement } from 'react';

interface FieldProps {
  label: string;
  /** A hint under the control; screen readers read it as the control's description. */
  hint?: string | undefined;
  /** Spans both columns of a two-column form. */
  wide?: boolean;
  /** One control: input, select or textarea. */
  children: ReactElement<{ id?: string; 'aria-describedby'?: string }>;
}

/** A labelled form control: the label names it, the hint describes it. */
export function Field({ label, hint, wide, children }: FieldProps) {
  const id = useId();
  const control = cloneElement(children, {
    id,
    ...(hint ? { 'aria-describedby': `${id}-hint` } : {}),
  });
  return (
    <div className={wide ? 'field field-wide' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {control}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
    </div>
  );
}
