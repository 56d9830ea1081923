import { useState } from 'react';
import { useApi } from '../../api/ApiContext.js';
import type { LabelMedia, LabelTemplate } from '../../api/types.js';
import { useSession } from '../../auth/session.js';
import type { Loaded } from '../../hooks/useLoad.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { Field } from '../Field.js';
import { Loading } from '../Loading.js';
import { TemplateForm, type TemplateValues } from './TemplateForm.js';
import { formatLineText } from '@domain/label-template.js';
import { mediaName, SYMBOLOGY_LABELS } from './label-text.js';
import { ArchiveButton } from '../ArchiveButton.js';
import { MediaOptions } from './MediaOptions.js';
import { Notice } from '../Notice.js';

type Editing = { mode: 'new'; preset: LabelMedia } | { mode: 'edit'; template: LabelTemplate };

/**
 * Label templates: the list (archived ones on request), and for editors a new template started
 * from a media preset's default layout, changes, archiving and restoring.
 */
export function LabelTemplates({
  presets,
  templates,
  showArchived,
  onShowArchived,
  onChanged,
}: {
  presets: LabelMedia[];
  /** The page's one list of templates, which the print form chooses from too. */
  templates: Loaded<{ items: LabelTemplate[] }>;
  showArchived: boolean;
  onShowArchived(show: boolean): void;
  /** A template was created, changed, archived or restored: the list is to load anew. */
  onChanged(template: LabelTemplate): void;
}) {
  const api = useApi();
  const { canWrite } = useSession();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [presetId, setPresetId] = useState('tape-62x29');
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message: string, template: LabelTemplate) => {
    setEditing(null);
    setNotice(message);
    onChanged(template);
  };
  const save = async (values: TemplateValues) => {
    if (editing?.mode === 'edit') {
      const saved = await api.labels.updateTemplate(editing.template.code, values);
      done(`Saved ${saved.name}.`, saved);
    } else {
      const created = await api.labels.createTemplate(values);
      done(`Created ${created.name}.`, created);
    }
  };
  const preset = presets.find((m) => m.id === presetId);

  return (
    <section className="section" aria-label="Label templates">
      <div className="section-head">
        <h2>Templates</h2>
        <label className="check">
          <input
            type="checkbox"
            checked={showArchived}
            onChange={(e) => onShowArchived(e.target.checked)}
          />{' '}
          Show archived
        </label>
      </div>
      <Notice text={notice} />
      {canWrite && !editing && preset && (
        <div className="card label-new">
          <Field label="New template from a preset">
            <select value={presetId} onChange={(e) => setPresetId(e.target.value)}>
              <MediaOptions presets={presets} />
            </select>
          </Field>
          <button type="button" onClick={() => setEditing({ mode: 'new', preset })}>
            New template
          </button>
        </div>
      )}
      {editing && (
        <TemplateForm
          key={editing.mode === 'edit' ? editing.template.code : `new-${editing.preset.id}`}
          title={editing.mode === 'edit' ? `Change ${editing.template.name}` : 'New label template'}
          initial={
            editing.mode === 'edit'
              ? editing.template
              : { name: '', ...editing.preset.defaultTemplate, media: editing.preset.id }
          }
          presets={presets}
          submitLabel={editing.mode === 'edit' ? 'Save template' : 'Create template'}
          onSubmit={save}
          onCancel={() => setEditing(null)}
        />
      )}
      {templates.error !== undefined && (
        <ErrorMessage error={templates.error} retry={templates.reload} />
      )}
      {templates.loading && !templates.data && <Loading what="label templates" />}
      {templates.data && templates.data.items.length === 0 && (
        <p className="empty">
          {canWrite
            ? 'No templates yet: labels print with the media’s default layout, or create a template above.'
            : 'No templates yet: labels print with the media’s default layout.'}
        </p>
      )}
      {templates.data && templates.data.items.length > 0 && (
        <table className="list stack" aria-label="Label templates" aria-busy={templates.loading}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Media</th>
              <th>Symbol</th>
              <th>Lines</th>
              {canWrite && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {templates.data.items.map((t) => (
              <tr key={t.code}>
                <td data-label="Name">
                  {t.name}
                  {t.archived && <span className="badge">archived</span>}
                </td>
                <td data-label="Media">{mediaName(t.media, presets)}</td>
                <td data-label="Symbol">{SYMBOLOGY_LABELS[t.symbology].replace(/ \(.*/, '')}</td>
                <td data-label="Lines">
                  {t.lines.map((line, i) => (
                    <code key={i} className="label-line-text">
                      {formatLineText(line)}
                    </code>
                  ))}
                </td>
                {canWrite && (
                  <td data-label="Actions">
                    <div className="actions">
                      <button
                        type="button"
                        aria-label={`Change ${t.name}`}
                        onClick={() => setEditing({ mode: 'edit', template: t })}
                      >
                        Change
                      </button>
                      <ArchiveButton
                        item={t}
                        update={(archived) => api.labels.updateTemplate(t.code, { archived })}
                        onDone={(updated) =>
                          done(
                            updated.archived
                              ? `Archived ${updated.name}.`
                              : `Restored ${updated.name}.`,
                            updated,
                          )
                        }
                      />
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
