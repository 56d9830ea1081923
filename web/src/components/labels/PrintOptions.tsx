import type { LabelMedia, LabelTemplate } from '../../api/types.js';
import { Field } from '../Field.js';
import { SymbologyField } from './SymbologyField.js';
import type { PrintSettings } from './print-settings.js';
import { MediaOptions } from './MediaOptions.js';

/** Template (or media preset and symbol), format, printer resolution and sheet start position. */
export function PrintOptions({
  settings,
  presets,
  templates,
  sheet,
  onChange,
}: {
  settings: PrintSettings;
  presets: LabelMedia[];
  templates: LabelTemplate[];
  sheet: LabelMedia | undefined;
  onChange(settings: PrintSettings): void;
}) {
  const set = (patch: Partial<PrintSettings>) => onChange({ ...settings, ...patch });
  return (
    <div className="form label-options">
      <Field label="Template" hint="yours, or a media preset with its own layout">
        <select value={settings.template} onChange={(e) => set({ template: e.target.value })}>
          <option value="">No template: a media preset</option>
          {templates.map((t) => (
            <option key={t.code} value={t.code}>
              {t.name}
            </option>
          ))}
        </select>
      </Field>
      {!settings.template && (
        <>
          <Field label="Media">
            <select
              value={settings.media}
              onChange={(e) => set({ media: e.target.value, startPosition: 1 })}
            >
              <MediaOptions presets={presets} />
            </select>
          </Field>
          <SymbologyField value={settings.symbology} onChange={(symbology) => set({ symbology })} />
        </>
      )}
      <div className="field">
        <span className="field-label">Format</span>
        <div className="segmented" role="radiogroup" aria-label="Format">
          {(
            [
              ['pdf', 'PDF'],
              ['zpl', 'ZPL (thermal printers)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className={settings.format === value ? 'active' : ''}>
              <input
                type="radio"
                name="format"
                value={value}
                checked={settings.format === value}
                onChange={() => set({ format: value })}
              />
              {label}
            </label>
          ))}
        </div>
      </div>
      {settings.format === 'zpl' && (
        <Field label="Printer resolution">
          <select
            value={settings.dpi}
            onChange={(e) => set({ dpi: Number(e.target.value) === 300 ? 300 : 203 })}
          >
            <option value={203}>203 dpi (8 dots/mm)</option>
            <option value={300}>300 dpi (12 dots/mm)</option>
          </select>
        </Field>
      )}
      {sheet && (
        <Field
          label="Start at label"
          hint={`1 to ${sheet.labelsPerPage}, left to right, top to bottom: to reuse a partly used sheet`}
        >
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={sheet.labelsPerPage}
            value={settings.startPosition}
            onChange={(e) =>
              set({
                startPosition: Math.min(
                  sheet.labelsPerPage,
                  Math.max(1, Math.trunc(Number(e.target.value)) || 1),
                ),
              })
            }
          />
        </Field>
      )}
    </div>
  );
}
