import type { LabelMedia } from '../../api/types.js';

/** The `<option>`s of the label media presets (sheets and rolls), by id, showing their names. */
export function MediaOptions({ presets }: { presets: LabelMedia[] }) {
  return presets.map((m) => (
    <option key={m.id} value={m.id}>
      {m.name}
    </option>
  ));
}
