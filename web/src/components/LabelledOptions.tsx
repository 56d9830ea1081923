/**
 * The `<option>`s of a closed set (units, statuses, pickings, …), each showing its label. The
 * values default to the label map's keys, so a set and its labels cannot drift apart; `values`
 * names a subset or an order of its own.
 */
export function LabelledOptions<T extends string>({
  labels,
  values = Object.keys(labels) as T[],
}: {
  labels: Record<T, string>;
  values?: readonly T[];
}) {
  return values.map((value) => (
    <option key={value} value={value}>
      {labels[value]}
    </option>
  ));
}
