import { useApi } from '../../api/ApiContext.js';
import { useLoad } from '../../hooks/useLoad.js';

/** A unit's customer serials, one per format: "ACME-2710-00042 (ACME devices)". */
export function UnitSerials({ code }: { code: string }) {
  const api = useApi();
  const serials = useLoad((signal) => api.serialFormats.ofLot(code, signal), [code]);
  const items = serials.data?.items ?? [];
  if (serials.data && items.length === 0) return <span>none</span>;
  return (
    <span data-testid="customer-serials">
      {items.map((s, i) => (
        <span key={s.format.code}>
          {i > 0 && ', '}
          <strong>{s.serial}</strong> <small>({s.format.name})</small>
        </span>
      ))}
    </span>
  );
}
