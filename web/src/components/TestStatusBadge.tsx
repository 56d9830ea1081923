import type { TestStatus, TestTemplate } from '../api/types.js';

export const TEST_STATUS_LABELS: Record<TestStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  missing: 'Missing',
};

export const VALUE_TYPE_LABELS: Record<TestTemplate['valueType'], string> = {
  pass_fail: 'Pass / fail',
  number: 'Number',
  text: 'Text',
};

/** A pass, fail or missing badge (the word is there for screen readers and colour-blind eyes). */
export function TestStatusBadge({ status }: { status: TestStatus }) {
  return (
    <span className={`test-status test-${status}`} data-status={status}>
      {TEST_STATUS_LABELS[status]}
    </span>
  );
}

/** "3.2 … 3.4 V", "≥ 1 mA", or '' for tests without limits. */
export function limitsText(t: Pick<TestTemplate, 'valueType' | 'min' | 'max' | 'unit'>): string {
  if (t.valueType !== 'number') return '';
  const unit = t.unit ? ` ${t.unit}` : '';
  if (t.min !== null && t.max !== null) return `${t.min} … ${t.max}${unit}`;
  if (t.min !== null) return `≥ ${t.min}${unit}`;
  if (t.max !== null) return `≤ ${t.max}${unit}`;
  return t.unit;
}

/** A unit's tests at a glance in a list: its badge, or a dash when its part has no tests. */
export function UnitTestsBadge({ status }: { status: TestStatus | null }) {
  if (!status)
    return (
      <span className="muted" title="No tests are defined for this part">
        —
      </span>
    );
  return <TestStatusBadge status={status} />;
}
