import { useApi } from '../api/ApiContext.js';
import { AttachmentsSection } from '../components/attachments/AttachmentsSection.js';
import { CodeHeader } from '../components/CodeHeader.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { attributeFields, FieldList } from '../components/FieldList.js';
import { Loading } from '../components/Loading.js';
import { StockSection } from '../components/StockSection.js';
import { formatDateTime } from '../format.js';
import { useLoad } from '../hooks/useLoad.js';

export function LocationPage({ code }: { code: string }) {
  const api = useApi();
  const location = useLoad((signal) => api.locations.get(code, signal), [code]);
  if (location.error !== undefined)
    return <ErrorMessage error={location.error} retry={location.reload} />;
  if (!location.data) return <Loading what="the location" />;
  const l = location.data;
  return (
    <>
      <CodeHeader kind="Storage location" title={l.name} code={l.code} shortCode={l.shortCode}>
        {l.archived && <span className="badge">archived</span>}
      </CodeHeader>
      <section className="section">
        <h2>Fields</h2>
        <FieldList
          fields={[
            ['Description', l.description],
            [
              'Site',
              l.site.local
                ? `${l.site.name} (this site)`
                : `${l.site.name}: that site moves its stock; stock sent here arrives in transit`,
            ],
            ...attributeFields(l.tags, l.customFields),
            ['Created', formatDateTime(l.createdAt)],
          ]}
        />
      </section>
      <StockSection of="location" code={l.code} />
      <AttachmentsSection subject={l.code} />
    </>
  );
}
