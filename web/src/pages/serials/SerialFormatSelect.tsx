import { useApi } from '../../api/ApiContext.js';
import { Field } from '../../components/Field.js';
import { useLoad } from '../../hooks/useLoad.js';

/** A choice of customer serial format (or none); the formats are loaded once. */
export function SerialFormatSelect({
  value,
  onChange,
  label = 'Customer serials',
  hint = 'every unit gets a serial of this format as the build starts',
  allowNone = true,
}: {
  value: string;
  onChange(code: string): void;
  label?: string;
  hint?: string;
  allowNone?: boolean;
}) {
  const api = useApi();
  const formats = useLoad((signal) => api.serialFormats.list({ limit: 500 }, signal), []);
  const items = formats.data?.items ?? [];
  return (
    <Field
      label={label}
      hint={
        formats.data && items.length === 0
          ? 'no serial formats yet: create one on the Serial formats page'
          : hint
      }
    >
      <select name="serialFormat" value={value} onChange={(e) => onChange(e.target.value)}>
        {allowNone && <option value="">None</option>}
        {!allowNone && <option value="">Choose a format…</option>}
        {items.map((f) => (
          <option key={f.code} value={f.code}>
            {f.name} ({f.pattern})
          </option>
        ))}
      </select>
    </Field>
  );
}
