import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import { stageLabel } from '@domain/bom-stage.js';
import type { BomStage, BuildPlan } from '../../api/types.js';
import { formatQuantity } from '../../format.js';

/** Per BOM entry: what N units need (attrition included), the lots it would take, what is short. */
export function PlanTable({ plan, stages }: { plan: BuildPlan; stages: BomStage[] }) {
  const names = new Map(stages.map((s) => [s.stage, s.name]));
  return (
    <div className="table-scroll">
      <table className="list stack" aria-label="Stock check">
        <thead>
          <tr>
            <th className="num">Entry</th>
            <th>Stage</th>
            <th>Part</th>
            <th className="num">Need</th>
            <th>Lots to use</th>
            <th className="num">Short</th>
          </tr>
        </thead>
        <tbody>
          {plan.entries.map((e) => (
            <tr key={e.entryNo} className={e.short > 0 ? 'row-short' : e.dnp ? 'dnp' : undefined}>
              <td data-label="Entry" className="num">
                {e.entryNo}
              </td>
              <td data-label="Stage">{stageLabel(e.stage, names.get(e.stage))}</td>
              <td data-label="Part">
                <Link to={objectUrl('', e.part.code)}>{e.part.name}</Link>
                {e.designators && <div className="hint">{e.designators}</div>}
              </td>
              <td data-label="Need" className="num">
                {e.dnp ? 'DNP' : formatQuantity(e.need, e.part.unit)}
              </td>
              <td data-label="Lots to use">
                {e.picks.length === 0 && !e.dnp && <span className="muted">none</span>}
                <ul className="plain">
                  {e.picks.map((p) => (
                    <li key={`${p.lot.code}/${p.location.code}`}>
                      <Link to={objectUrl('', p.lot.code)}>
                        <code>{p.lot.shortCode}</code>
                      </Link>{' '}
                      {p.lot.name} · {formatQuantity(p.quantity, e.part.unit)} from{' '}
                      {p.location.name}
                      {p.part !== e.part.code && <span className="badge">substitute</span>}
                    </li>
                  ))}
                </ul>
              </td>
              <td data-label="Short" className="num">
                {e.short > 0 ? <strong>{formatQuantity(e.short, e.part.unit)}</strong> : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
