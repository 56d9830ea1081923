import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { AttachmentsSection } from '../components/attachments/AttachmentsSection.js';
import { CodeHeader } from '../components/CodeHeader.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { attributeFields, FieldList } from '../components/FieldList.js';
import { Loading } from '../components/Loading.js';
import { formatDateTime, plural } from '../format.js';
import { useLoad } from '../hooks/useLoad.js';
import { BomApproval } from './project/BomApproval.js';
import { BomEditor } from './project/BomEditor.js';
import { BomImport } from './project/BomImport.js';
import { BomStages } from './project/BomStages.js';
import { BomTable } from './project/BomTable.js';
import { ProjectBuilds } from './project/ProjectBuilds.js';
import { RequireTestsSetting } from './project/RequireTestsSetting.js';

/** A project: what it makes, its BOM (with the import), its builds. */
export function ProjectPage({ code }: { code: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const project = useLoad((signal) => api.projects.get(code, signal), [code]);
  const bom = useLoad((signal) => api.projects.bom(code, signal), [code]);

  if (project.error !== undefined)
    return <ErrorMessage error={project.error} retry={project.reload} />;
  if (!project.data) return <Loading what="the project" />;
  const p = project.data;
  const changed = () => {
    project.reload();
    bom.reload();
  };

  return (
    <>
      <CodeHeader kind="Project" title={p.name} code={p.code} shortCode={p.shortCode}>
        <p className="summary">
          Makes <Link to={objectUrl('', p.part.code)}>{p.part.name}</Link> ·{' '}
          <span data-testid="bom-count">{plural(p.bomEntries, 'BOM entry', 'BOM entries')}</span> ·{' '}
          <span data-testid="bom-revision">BOM revision {p.bomRevision}</span>
          {p.archived && <span className="badge">archived</span>}
        </p>
        {canWrite && (
          <div className="actions">
            <Link className="button primary" to={`/builds/new?project=${p.code}`}>
              New build
            </Link>
          </div>
        )}
      </CodeHeader>
      <section className="section">
        <h2>BOM</h2>
        {bom.error !== undefined && <ErrorMessage error={bom.error} retry={bom.reload} />}
        {bom.loading && !bom.data && <Loading what="the BOM" />}
        {bom.data && <BomApproval bom={bom.data} canWrite={canWrite} onChanged={changed} />}
        {bom.data && bom.data.entries.length === 0 && (
          <p className="empty">
            No BOM yet{canWrite ? ' — add lines, or import a KiCad BOM or a CSV below' : ''}.
          </p>
        )}
        {bom.data && canWrite && <BomEditor bom={bom.data} onChanged={changed} />}
        {bom.data && !canWrite && bom.data.entries.length > 0 && (
          <BomTable entries={bom.data.entries} stages={bom.data.stages} />
        )}
        {bom.data && (
          <BomStages
            projectCode={p.code}
            stages={bom.data.stages}
            canWrite={canWrite}
            onChanged={changed}
          />
        )}
        {canWrite && <BomImport projectCode={p.code} onImported={changed} />}
      </section>
      <ProjectBuilds project={p.code} />
      <RequireTestsSetting project={p} />
      <section className="section">
        <h2>Fields</h2>
        <FieldList
          fields={[
            ['Description', p.description],
            ['Notes', p.notes],
            ...attributeFields(p.tags, p.customFields),
            ['Created', formatDateTime(p.createdAt)],
          ]}
        />
      </section>
      <AttachmentsSection subject={p.code} />
    </>
  );
}
