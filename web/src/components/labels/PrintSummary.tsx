import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { useApi } from '../../api/ApiContext.js';
import { plural } from '../../format.js';
import { useLoad } from '../../hooks/useLoad.js';
import { ErrorMessage } from '../ErrorMessage.js';
import type { PrintTarget } from './print-settings.js';

/** What the labels are for, in words: "3 units", "all 120 units of build ab12cd34". */
export function PrintSummary({ target }: { target: PrintTarget }) {
  const api = useApi();
  const about = useLoad(
    (signal): Promise<{ text: string; code: string } | null> => {
      if (target.kind === 'build')
        return api.builds.get(target.code, signal).then((b) => ({
          text: target.units
            ? `units ${target.units} of build ${b.shortCode}`
            : `all ${plural(b.quantity, 'unit')} of build ${b.shortCode}`,
          code: b.code,
        }));
      if (target.kind === 'shipment')
        return api.shipments.get(target.code, signal).then((s) => ({
          text: `all ${plural(s.unitCount, 'unit')} of shipment ${s.customer} · ${s.reference}`,
          code: s.code,
        }));
      return Promise.resolve(null);
    },
    [
      target.kind,
      target.kind === 'codes' ? target.codes.join(',') : target.code,
      target.kind === 'build' ? target.units : undefined,
    ],
  );
  if (about.error !== undefined) return <ErrorMessage error={about.error} retry={about.reload} />;
  let text: string;
  let link: string | undefined;
  if (target.kind === 'codes') text = plural(target.codes.length, 'unit');
  else if (target.kind === 'lot') {
    text = `lot ${target.code.slice(0, 8)}`;
    link = target.code;
  } else {
    text = about.data?.text ?? `${target.kind} ${target.code.slice(0, 8)}`;
    link = about.data?.code ?? target.code;
  }
  return (
    <p className="summary" data-testid="print-summary">
      Labels for {link ? <Link to={objectUrl('', link)}>{text}</Link> : <strong>{text}</strong>}
      {target.kind === 'codes' && (
        <span className="muted">
          {' '}
          (
          {target.codes
            .slice(0, 5)
            .map((c) => c.slice(0, 8))
            .join(', ')}
          {target.codes.length > 5 && ', …'})
        </span>
      )}
    </p>
  );
}
