/**
 * The edits of a list of form rows (custom fields, label lines, supplier numbers, lot choices,
 * column mappings): change one, remove one, add one, each handing the new list to `onChange`.
 */
export function rowEdits<R extends object>(rows: readonly R[], onChange: (rows: R[]) => void) {
  return {
    change: (index: number, patch: Partial<R>) =>
      onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row))),
    remove: (index: number) => onChange(rows.filter((_, i) => i !== index)),
    add: (row: R) => onChange([...rows, row]),
  };
}
