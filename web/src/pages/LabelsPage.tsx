import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { LabelPreview } from '../components/labels/LabelPreview.js';
import { LabelTemplates } from '../components/labels/LabelTemplates.js';
import { Loading } from '../components/Loading.js';
import { PrintOptions } from '../components/labels/PrintOptions.js';
import { PrintSummary } from '../components/labels/PrintSummary.js';
import {
  DEFAULT_SETTINGS,
  printRequest,
  sheetOf,
  targetFromParams,
} from '../components/labels/print-settings.js';
import { useLoad } from '../hooks/useLoad.js';

/**
 * Printing labels: what to label comes from the query string (`?codes=a,b`, `?build=`,
 * `?shipment=`, `?lot=`), the layout from a template or a media preset; a preview shows the PDF
 * (or ZPL) the printer gets. Below, the label templates.
 */
export function LabelsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const target = targetFromParams(params);
  // A build's labels: all its units, or those typed here (applied on Enter or leaving the field).
  const [unitsText, setUnitsText] = useState(params.get('units') ?? '');
  const applyUnits = () => {
    const next = new URLSearchParams(params);
    if (unitsText.trim()) next.set('units', unitsText.trim());
    else next.delete('units');
    if (next.toString() !== params.toString()) setParams(next, { replace: true });
  };
  const [settings, setSettings] = useState(DEFAULT_SETTINGS);
  const [showArchived, setShowArchived] = useState(false);
  const media = useLoad((signal) => api.labels.media(signal), []);
  // One list serves the print form (templates in use) and the templates section below.
  const templates = useLoad(
    (signal) => api.labels.templates(showArchived ? 'any' : 'false', signal),
    [showArchived],
  );

  const presets = media.data?.items ?? [];
  const usable = templates.data?.items.filter((t) => !t.archived) ?? [];
  // A template archived meanwhile is no longer offered: fall back to the presets.
  const chosen =
    settings.template && templates.data && !usable.some((t) => t.code === settings.template)
      ? { ...settings, template: '' }
      : settings;
  const sheet = sheetOf(chosen, presets, usable);

  return (
    <>
      <h1>Labels</h1>
      {target ? (
        <PrintSummary target={target} />
      ) : (
        <p className="empty">
          Nothing to print yet: open this page with the print button of a{' '}
          <Link to="/builds">build</Link>, a <Link to="/shipments">shipment</Link> or a unit, or
          collect units on the <Link to="/scan">scan page</Link>.
        </p>
      )}
      {media.error !== undefined && <ErrorMessage error={media.error} retry={media.reload} />}
      {!media.data && media.error === undefined && <Loading what="label media" />}
      {media.data && target && (
        <section className="section card" aria-label="Print">
          {target.kind === 'build' && (
            <form
              className="form"
              onSubmit={(e) => {
                e.preventDefault();
                applyUnits();
              }}
            >
              <Field
                label="Units"
                hint="empty for all, or build serials such as 1-5, 8, short codes, or a label's 945ks1m9-3 or customer serial"
              >
                <input
                  name="units"
                  autoComplete="off"
                  value={unitsText}
                  onChange={(e) => setUnitsText(e.target.value)}
                  onBlur={applyUnits}
                />
              </Field>
            </form>
          )}
          <PrintOptions
            settings={chosen}
            presets={presets}
            templates={usable}
            sheet={sheet}
            onChange={setSettings}
          />
          <LabelPreview
            request={printRequest(target, chosen, sheet)}
            fileName={`labels-${target.kind === 'codes' ? 'selection' : target.code.slice(0, 8)}`}
          />
        </section>
      )}
      {media.data && (
        <LabelTemplates
          presets={presets}
          templates={templates}
          showArchived={showArchived}
          onShowArchived={setShowArchived}
          onChanged={(template) => {
            templates.reload();
            if (template.archived && template.code === settings.template)
              setSettings({ ...settings, template: '' });
          }}
        />
      )}
    </>
  );
}
