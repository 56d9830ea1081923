import { objectUrl } from '@domain/object-url.js';
import { Link } from 'react-router';
import type { TraceEdge, TraceNode, TraceTree } from '../../api/types.js';
import { formatDateTime, formatQuantity, plural } from '../../format.js';
import { UNIT_STATE_LABELS } from '../../format-builds.js';

/** Levels open at first; deeper ones open on a tap (a big tree stays readable). */
const OPEN_LEVELS = 2;

/**
 * Backward trace: what went into this unit or lot — installed units, recursively, and the lots
 * its build consumed — down to supplier lots with their vendor lot, date code and order.
 */
export function GenealogyTree({ tree }: { tree: TraceTree }) {
  const { counts, root } = tree;
  if (root.children.length === 0 && root.removed.length === 0) {
    return (
      <p className="empty">
        Nothing recorded went into it yet{root.build ? ': no stage has consumed parts for it' : ''}.
      </p>
    );
  }
  return (
    <>
      <p className="summary" data-testid="trace-counts">
        {plural(counts.units - (root.kind === 'unit' ? 1 : 0), 'unit')} and{' '}
        {plural(counts.lots - (root.kind === 'lot' ? 1 : 0), 'lot')} went into it,{' '}
        {plural(counts.supplierLots, 'supplier lot')}, {plural(counts.depth, 'level')} deep
        {counts.buildScoped > 0 &&
          ` · ${counts.buildScoped} recorded for a whole build (may be in any of its units)`}
        .
      </p>
      <ul className="tree" aria-label="Genealogy">
        {root.children.map((child) => (
          <TreeNode key={nodeKey(child)} node={child} level={1} />
        ))}
      </ul>
      {root.removed.length > 0 && <RemovedList node={root} />}
    </>
  );
}

function TreeNode({ node, level }: { node: TraceNode; level: number }) {
  const body = (
    <>
      <NodeLine node={node} />
      {node.via && <EdgeLine edge={node.via} />}
    </>
  );
  if (node.children.length === 0 && node.removed.length === 0) {
    return <li className="tree-node tree-leaf">{body}</li>;
  }
  return (
    <li className="tree-node">
      <details open={level < OPEN_LEVELS}>
        <summary>{body}</summary>
        <ul className="tree">
          {node.children.map((child) => (
            <TreeNode key={nodeKey(child)} node={child} level={level + 1} />
          ))}
        </ul>
        {node.removed.length > 0 && <RemovedList node={node} />}
      </details>
    </li>
  );
}

function NodeLine({ node }: { node: TraceNode }) {
  const facts = [
    node.vendorLot && `vendor lot ${node.vendorLot}`,
    node.dateCode && `date code ${node.dateCode}`,
    node.orderRef && `order ${node.orderRef}`,
    node.expiry && `expires ${node.expiry}`,
  ].filter(Boolean);
  return (
    <span className="tree-line">
      <span className="badge">
        {node.kind === 'unit' ? 'unit' : node.build ? 'made' : 'supplier lot'}
      </span>
      <Link to={objectUrl('', node.code)}>
        <code>{node.label ?? node.shortCode}</code>
      </Link>{' '}
      {node.name && node.name !== node.part.name && <span>{node.name} · </span>}
      <span>{node.part.name}</span>
      {node.unitState && <span className="muted"> · {UNIT_STATE_LABELS[node.unitState]}</span>}
      {facts.length > 0 && <span className="tree-facts"> · {facts.join(' · ')}</span>}
    </span>
  );
}

function EdgeLine({ edge }: { edge: TraceEdge }) {
  if (edge.type === 'installed') {
    return (
      <span className="tree-edge">
        installed for entry {edge.entryNo} by {edge.installedBy}, {formatDateTime(edge.installedAt)}
      </span>
    );
  }
  return (
    <span className="tree-edge">
      stage {edge.stage}, entry {edge.entryNo}: {formatQuantity(edge.quantity)} for{' '}
      {edge.units === 'all' ? 'all units' : `units ${edge.units}`} of build{' '}
      <code>{edge.build.shortCode}</code>{' '}
      <span className={`scope scope-${edge.scope}`}>
        {edge.scope === 'unit'
          ? 'in each of these units'
          : 'taken with other lots for the entry: each unit may hold either'}
      </span>
    </span>
  );
}

function RemovedList({ node }: { node: TraceNode }) {
  return (
    <ul className="tree tree-removed" aria-label="Removed units">
      {node.removed.map((r) => (
        <li key={`${r.code}/${r.removedAt}`} className="tree-node tree-leaf">
          <span className="badge">removed</span>
          <Link to={objectUrl('', r.code)}>
            <code>{r.label ?? r.shortCode}</code>
          </Link>{' '}
          {r.part.name}: installed {formatDateTime(r.installedAt)}, removed{' '}
          {formatDateTime(r.removedAt)}
          {r.removedBy && ` by ${r.removedBy}`}
          {r.reason && ` — ${r.reason}`}
        </li>
      ))}
    </ul>
  );
}

function nodeKey(node: TraceNode): string {
  return node.via?.type === 'consumed'
    ? `${node.code}/${node.via.completion}/${node.via.entryNo}`
    : node.code;
}
