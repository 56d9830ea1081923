import { useApi } from '../api/ApiContext.js';
import { useSession } from '../auth/session.js';
import { AttachmentsSection } from '../components/attachments/AttachmentsSection.js';
import { CodeHeader } from '../components/CodeHeader.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { attributeFields, FieldList } from '../components/FieldList.js';
import { Loading } from '../components/Loading.js';
import { StockSection } from '../components/StockSection.js';
import { formatDateTime, formatQuantity, KIND_LABELS, UNIT_LABELS } from '../format.js';
import { useLoad } from '../hooks/useLoad.js';
import { PartIdentifiers } from './part/PartIdentifiers.js';
import { TestTemplates } from './part/TestTemplates.js';

export function PartPage({ code }: { code: string }) {
  const api = useApi();
  const { canWrite } = useSession();
  const part = useLoad((signal) => api.parts.get(code, signal), [code]);
  if (part.error !== undefined) return <ErrorMessage error={part.error} retry={part.reload} />;
  if (!part.data) return <Loading what="the part" />;
  const p = part.data;
  return (
    <>
      <CodeHeader kind="Part" title={p.name} code={p.code} shortCode={p.shortCode}>
        <p className="summary">
          <strong data-testid="on-hand">{formatQuantity(p.onHand, p.unit)}</strong> on hand
          {p.archived && <span className="badge">archived</span>}
        </p>
      </CodeHeader>
      <section className="section">
        <h2>Fields</h2>
        <FieldList
          fields={[
            ['MPN', p.mpn],
            ['Manufacturer', p.manufacturer],
            ['Kind', KIND_LABELS[p.kind]],
            ['Unit', UNIT_LABELS[p.unit]],
            ['Description', p.description],
            ...attributeFields(p.tags, p.customFields),
            ['Created', formatDateTime(p.createdAt)],
          ]}
        />
      </section>
      <PartIdentifiers key={p.code} part={p} canWrite={canWrite} onSaved={part.reload} />
      <StockSection of="part" code={p.code} />
      <TestTemplates part={p.code} />
      <AttachmentsSection subject={p.code} />
    </>
  );
}
