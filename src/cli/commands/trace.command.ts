import type { Command } from 'commander';
import type { Recall, RecallItem, TraceNode } from '../../trace/trace.schemas.js';
import { releaseRecall } from '../../trace/recall-release.service.js';
import { holdRecall, recallCsv, traceBackward, traceForward } from '../../trace/trace.service.js';
import { withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { printJson, printTable } from '../output.js';
import { signerOf, signOptions, type SignFlags } from '../signing.js';
import { codeOf } from '../codes.js';

type JsonFlags = DatabaseFlags & { json?: boolean };

export function traceCommands(program: Command): void {
  withDatabaseOptions(
    program
      .command('trace')
      .description('backward trace: everything in a unit or lot, down to supplier lots')
      .argument('<code>', 'unit or lot code (or its short code)')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: JsonFlags) =>
    withContext(flags, async (ctx) => {
      const tree = await traceBackward(ctx, await codeOf(ctx, code, 'code', 'lot'));
      if (flags.json) return printJson(tree);
      for (const line of treeLines(tree.root)) console.log(line);
      const c = tree.counts;
      console.log('');
      console.log(
        `${c.nodes} nodes: ${c.units} units, ${c.lots} lots (${c.supplierLots} supplier lots), ${c.depth} levels deep; ${c.buildScoped} consumed for a whole build (build-scoped)`,
      );
      const parent = tree.installedIn;
      if (parent) console.log(`Installed in ${parent.label ?? parent.shortCode} (${parent.code})`);
    }),
  );

  const recall = withDatabaseOptions(
    program
      .command('recall')
      .description('forward trace: every unit and lot that may contain a lot, and where it is')
      .argument('<code>', 'lot code (or its short code)')
      .option('--csv', 'print CSV')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: JsonFlags & { csv?: boolean }) =>
    withContext(flags, async (ctx) => {
      const found = await traceForward(ctx, await codeOf(ctx, code, 'code', 'lot'));
      if (flags.json) return printJson(found);
      if (flags.csv) return void process.stdout.write(recallCsv(found));
      printRecall(found);
    }),
  );
  // The database options and --json are recall's: commander gives `recall hold CODE --data …`
  // options to the parent command, so hold reads them from there.
  signOptions(recall.command('hold'))
    .description(
      'hold all stock that may contain the lot: on-hand and in-production balances become held',
    )
    .argument('<code>', 'lot code (or its short code)')
    .requiredOption('--note <text>', 'why: the recall, a reference')
    .configureHelp({ showGlobalOptions: true })
    .action((code: string, _flags: unknown, command: Command) => {
      const flags = command.optsWithGlobals<JsonFlags & SignFlags & { note: string }>();
      return withContext(flags, async (ctx) => {
        const lot = await codeOf(ctx, code, 'code', 'lot');
        const { actor, signature } = await signerOf(ctx, flags);
        const result = await holdRecall(ctx, actor, lot, { note: flags.note, signature });
        if (flags.json) return printJson(result);
        if (result.balances === 0)
          return console.log('nothing to hold: no stock on hand or in production');
        console.log(
          `held ${result.balances} balances of ${result.lots} lots (${result.byStatus
            .map((s) => `${s.status} ${s.balances}`)
            .join(', ')}); operation ${result.operation}`,
        );
      });
    });
  signOptions(recall.command('release'))
    .description(
      'release a recall hold of the lot: the balances it put on held go back to the status they had',
    )
    .argument('<code>', 'lot code (or its short code)')
    .requiredOption('--note <text>', 'why the stock may be used again')
    .option('--operation <code>', "the hold's operation; default: the latest not yet released")
    .configureHelp({ showGlobalOptions: true })
    .action((code: string, _flags: unknown, command: Command) => {
      const flags = command.optsWithGlobals<
        JsonFlags & SignFlags & { note: string; operation?: string }
      >();
      return withContext(flags, async (ctx) => {
        const lot = await codeOf(ctx, code, 'code', 'lot');
        const { actor, signature } = await signerOf(ctx, flags);
        const result = await releaseRecall(ctx, actor, lot, {
          note: flags.note,
          operation: flags.operation,
          signature,
        });
        if (flags.json) return printJson(result);
        console.log(
          `released hold ${result.hold}: ${result.balances} balances of ${result.lots} lots back (${
            result.byStatus.map((s) => `${s.status} ${s.balances}`).join(', ') || 'none'
          }); ${result.skipped} skipped (moved or consumed since the hold)`,
        );
      });
    });
}

/** The tree as indented lines: `├─ installed (entry 1) …`, `└─ consumed stage 1 entry 2: …`. */
function treeLines(node: TraceNode, prefix = '', last = true, root = true): string[] {
  const branch = root ? '' : last ? '└─ ' : '├─ ';
  const lines = [`${prefix}${branch}${edgeText(node)}${nodeText(node)}${edgeSuffix(node)}`];
  const inner = root ? '' : prefix + (last ? '   ' : '│  ');
  node.removed.forEach((r) =>
    lines.push(
      `${inner}${node.children.length ? '│' : ' '}  (removed ${r.removedAt.slice(0, 10)}: ${r.shortCode} ${r.label ?? ''} ${r.part.name}${r.reason ? ` — ${r.reason}` : ''})`,
    ),
  );
  node.children.forEach((child, i) =>
    lines.push(...treeLines(child, inner, i === node.children.length - 1, false)),
  );
  return lines;
}

function edgeText(node: TraceNode): string {
  if (node.via?.type === 'installed') return `installed (entry ${node.via.entryNo}) `;
  if (node.via?.type === 'consumed')
    return `consumed stage ${node.via.stage} entry ${node.via.entryNo}: `;
  return '';
}

function edgeSuffix(node: TraceNode): string {
  if (node.via?.type !== 'consumed') return '';
  const v = node.via;
  const units = v.units === 'all' ? 'the whole build' : `units ${v.units}`;
  return ` — ${v.quantity} ${node.part.unit} for ${units}${v.scope === 'build' ? ' (build-scoped)' : ''}`;
}

function nodeText(n: TraceNode): string {
  const details = [
    n.unitState ?? '',
    n.vendorLot && `vendor lot ${n.vendorLot}`,
    n.dateCode && `date code ${n.dateCode}`,
    n.orderRef && `order ${n.orderRef}`,
    n.expiry ? `expires ${n.expiry}` : '',
  ].filter(Boolean);
  const name = [n.shortCode, n.label, n.name, n.part.name, n.part.mpn && `(${n.part.mpn})`]
    .filter(Boolean)
    .join(' ');
  return details.length ? `${name}, ${details.join(', ')}` : name;
}

function printRecall(recall: Recall): void {
  const c = recall.counts;
  const sources = recall.sources.map((s) => `${s.shortCode} (${s.part.name})`).join(', ');
  printTable(
    recall.items.map((item) => ({
      level: item.level,
      unit: item.label ?? item.shortCode,
      part: item.part.name,
      state: item.status.state,
      where: whereText(item),
      scope: item.scope,
    })),
    ['level', 'unit', 'part', 'state', 'where', 'scope'],
    'Nothing contains it.',
  );
  console.log('');
  console.log(
    `${c.total} units and lots may contain ${sources}: ${c.units} units, ${c.lots} lots; ${c.unitScoped} unit-scoped, ${c.buildScoped} build-scoped`,
  );
  for (const l of c.byLevel) console.log(`  level ${l.level}: ${l.units} units, ${l.lots} lots`);
  if (c.byState.length)
    console.log(`  by state: ${c.byState.map((s) => `${s.state} ${s.count}`).join(', ')}`);
  for (const b of recall.buildScoped) {
    console.log(
      `  build-scoped: build ${b.build.shortCode} stage ${b.stage} took ${b.lot.slice(0, 8)} with other lots for one entry: each of its ${b.units} outputs may contain it`,
    );
  }
}

function whereText(item: RecallItem): string {
  const s = item.status;
  if (s.installedIn) return `in ${s.installedIn.label ?? s.installedIn.shortCode}`;
  return s.stock.map((b) => `${b.quantity} ${b.status} @ ${b.location.name}`).join('; ');
}
