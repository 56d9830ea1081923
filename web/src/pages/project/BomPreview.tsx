import { objectUrl } from '@domain/object-url.js';
import { useState } from 'react';
import { Link } from 'react-router';
import type { BomImportLine, BomImportResult } from '../../api/types.js';
import { Pager } from '../../components/Pager.js';
import { formatQuantity } from '../../format.js';
import { BOM_FIELD_LABELS, BOM_FORMAT_LABELS, MATCH_LABELS } from '../../format-builds.js';

const PAGE = 100;

/** What an import would do, line by line: the part each line matched, or why it cannot. */
export function BomPreview({ result }: { result: BomImportResult }) {
  const [offset, setOffset] = useState(0);
  const { summary } = result;
  const columns = Object.entries(result.columns)
    .map(
      ([field, column]) =>
        `${column} → ${(BOM_FIELD_LABELS as Record<string, string>)[field] ?? field}`,
    )
    .join(', ');
  return (
    <section className="bom-preview" aria-label="Import preview">
      <p className="summary" data-testid="import-summary">
        {summary.lines} lines: {summary.matched} matched, {summary.unmatched} unmatched
        {summary.newParts > 0 &&
          `, ${summary.newParts} new part${summary.newParts === 1 ? '' : 's'} ${result.committed ? 'created' : 'to create'}`}
        , {summary.problems} with problems.
      </p>
      <p className="hint">
        {BOM_FORMAT_LABELS[result.format]}, header on line {result.headerLine}. Columns: {columns}
        {result.ignoredColumns.length > 0 && <>; ignored: {result.ignoredColumns.join(', ')}</>}.
      </p>
      <div className="table-scroll">
        <table className="list stack" aria-label="Preview lines">
          <thead>
            <tr>
              <th className="num">Line</th>
              <th>Designators</th>
              <th className="num">Qty</th>
              <th>Value · footprint</th>
              <th>MPN</th>
              <th>Part</th>
              <th className="num">Stage</th>
              <th>Problems</th>
            </tr>
          </thead>
          <tbody>
            {result.lines.slice(offset, offset + PAGE).map((line) => (
              <tr key={line.line} className={rowClass(line)}>
                <td data-label="Line" className="num">
                  {line.line}
                </td>
                <td data-label="Designators">{line.designators.join(', ')}</td>
                <td data-label="Qty" className="num">
                  {line.quantity === null ? '—' : formatQuantity(line.quantity)}
                  {line.dnp && <span className="badge">DNP</span>}
                </td>
                <td data-label="Value · footprint">
                  {[line.value, line.footprint].filter(Boolean).join(' · ')}
                </td>
                <td data-label="MPN">{line.mpn}</td>
                <td data-label="Part">
                  <MatchCell line={line} />
                </td>
                <td data-label="Stage" className="num">
                  {line.stage}
                </td>
                <td data-label="Problems">
                  {line.problems.map((p) => (
                    <div key={p} className="error-text">
                      {p}
                    </div>
                  ))}
                  {line.warnings.map((w) => (
                    <div key={w} className="hint">
                      {w}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager total={result.lines.length} limit={PAGE} offset={offset} onOffset={setOffset} />
    </section>
  );
}

function MatchCell({ line }: { line: BomImportLine }) {
  if (line.part) {
    return (
      <>
        <Link to={objectUrl('', line.part.code)}>{line.part.name}</Link>{' '}
        <span className="muted">({MATCH_LABELS[line.matchedBy ?? 'part']})</span>
      </>
    );
  }
  if (line.newPartName) {
    return (
      <>
        {line.newPartName} <span className="badge">new part</span>
      </>
    );
  }
  return <span className="error-text">No matching part</span>;
}

function rowClass(line: BomImportLine): string | undefined {
  if (line.problems.length > 0) return 'row-problem';
  if (!line.part && !line.newPartName) return 'row-unmatched';
  return undefined;
}
