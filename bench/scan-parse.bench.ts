/**
 * Reading distributor bag labels (src/domain/scan/distributor.ts parseDistributorBarcode): a
 * mixed set of Digi-Key, Mouser, LCSC and TME strings, clean and mangled the ways keyboard-wedge
 * scanners mangle them (control characters typed as placeholders, lost, trailer missing).
 * Floor: the same strings split with String.split on the separator each one uses (chosen
 * before the clock starts) and the pieces put into a plain object, key = first two characters.
 * Both sides run in alternating slices in one process. Target: ≥ 50,000 scans/s.
 */
import { parseDistributorBarcode } from '../src/domain/scan/distributor.js';
import type { Benchmark } from './support/benchmark.js';
import { line, perSecond, printOutcome, progress, share, type Outcome } from './support/report.js';
import { compareRates } from './support/timing.js';

const MIN_SCANS_PER_SECOND = 50_000;

const DIGI_KEY = `[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d10K85781337\x1d11K1\x1d4LPH\x1dQ10\x1d11ZPICK\x1d12Z15221337\x1d13Z361337\x1d20Z${'0'.repeat(175)}`;
const MOUSER =
  '[)>\x1e06\x1dKP0-1337\x1d14K011\x1d1PMC34063ADR\x1dQ3\x1d11K073121337\x1d4LMX\x1d1VTI\x1e\x04';
const typed = (text: string, rs: string, gs: string, eot: string) =>
  text.replaceAll('\x1e', rs).replaceAll('\x1d', gs).replaceAll('\x04', eot);

/** [text, the separator the floor splits on]. */
const MIX: [string, string][] = [
  [DIGI_KEY, '\x1d'],
  [MOUSER, '\x1d'],
  [
    '>[)>06\x1dK21421337\x1d14K033\x1d1PLDK320ADU33R\x1dQ32\x1d11K060931337\x1d4LCN\x1d1VSTMicro',
    '\x1d',
  ],
  [typed(MOUSER, '{RS}', '{GS}', '{EOT}'), '{GS}'],
  [typed(DIGI_KEY, '<RS>', '<GS>', '<EOT>'), '<GS>'],
  [typed(MOUSER, '', '', ''), 'K'],
  [
    `[)>06PC1,C3,C5-71P86001067200830P732-8660-1-NDK1K8676178310K1046693009D14371T31751001143669511K14LCNQ111ZPICK12Z572861513Z99999920Z${'0'.repeat(88)}`,
    'P',
  ],
  [MOUSER.slice(0, 40), '\x1d'],
  [
    '{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1,pdi:34421807}',
    ',',
  ],
  [
    '{pbn:PICK2311010075,on:GB2311011210,pc:C136648,pm:LMR16030SDDAR,qty:5,mc:10,cc:1,pdi:95387529,hp:0,wc:ZH}',
    ',',
  ],
  [
    'QTY:1 PN:WBP-302 PO:19361337/1 CPO:PO-2023-06-08-001337 MFR:WISHERENTERPRISE MPN:WBP-302 RoHS https://www.tme.eu/details/WBP-302',
    ' ',
  ],
  ['PWBP-302 1PMPNWBP-302 Q1 K19361337/1', ' '],
];

function floor([text, separator]: [string, string]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const piece of text.split(separator)) out[piece.slice(0, 2)] = piece.slice(2);
  return out;
}

export const scanParse: Benchmark = {
  name: 'scan-parse',
  description: `distributor bag labels (${MIX.length} Digi-Key, Mouser, LCSC, TME strings, clean and mangled) vs String.split into an object`,
  needsServerBuild: false,
  async run() {
    for (const [text] of MIX)
      if (!parseDistributorBarcode(text))
        throw new Error(`not recognised: ${JSON.stringify(text)}`);
    progress('parser and floor in alternating 200 ms slices, 10 rounds');
    const [parser, split] = await compareRates(
      [(i) => parseDistributorBarcode(MIX[i % MIX.length]![0]), (i) => floor(MIX[i % MIX.length]!)],
      { rounds: 10, sliceMs: 200, warmupMs: 300 },
    );
    line(`  parser ${perSecond(parser!)} scans, floor ${perSecond(split!)} splits`);
    const outcome: Outcome = {
      name: 'scan-parse distributor labels: throughput',
      figure: perSecond(parser!),
      floor: perSecond(split!),
      ratio: share(parser!, split!),
      target: `≥ ${perSecond(MIN_SCANS_PER_SECOND)}`,
      met: parser! >= MIN_SCANS_PER_SECOND,
    };
    printOutcome(outcome);
    return [outcome];
  },
};
