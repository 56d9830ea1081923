/**
 * A PDF of 1,000 unit labels (src/labels/label-pdf.ts renderLabelsPdf: 62 mm tape preset,
 * DataMatrix of the unit's page URL, short code and part name) against the floor: bwip-js
 * encoding the same 1,000 symbols alone with `raw`. `raw` is the barcode work any label renderer
 * must do and nothing more; `toSVG` would add bwip-js's own drawing, a looser floor that would
 * hide the cost of our layout and PDF writing. Labels and codes are made before the clock starts.
 * Targets (labels issue): < 3 s, and ≤ 2× the floor.
 */
import bwipjs from 'bwip-js';
import { newCode, shortCode } from '../src/domain/code.js';
import type { LabelData, LabelTemplate } from '../src/domain/label-template.js';
import { renderLabelsPdf } from '../src/labels/label-pdf.js';
import type { Benchmark } from './support/benchmark.js';
import {
  duration,
  line,
  printOutcome,
  progress,
  seconds,
  times,
  type Outcome,
} from './support/report.js';
import { collectGarbage, timeMs } from './support/timing.js';

const LABELS = 1_000;
const RUNS = 5;
const MAX_MS = 3000;
const MAX_RATIO = 2;

const template: LabelTemplate = {
  media: 'tape-62x29',
  symbology: 'datamatrix',
  content: 'url',
  lines: [{ parts: ['shortCode'], bold: true }, { parts: ['partName'] }],
};

function makeLabels(): LabelData[] {
  return Array.from({ length: LABELS }, () => {
    const code = newCode();
    return {
      code,
      shortCode: shortCode(code),
      url: `https://trace.example.com/c/${code}`,
      partName: 'Sensor board rev C',
    };
  });
}

async function pdfRound(labels: LabelData[]): Promise<number> {
  let pdf: Buffer | undefined;
  collectGarbage();
  const elapsed = await timeMs(async () => {
    pdf = await renderLabelsPdf(template, labels);
  });
  // Counted outside the timing: only the PDF's making is measured.
  const pages = pdf!.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
  if (pages !== LABELS) throw new Error(`the PDF has ${pages} pages, expected ${LABELS}`);
  return elapsed;
}

function floorRound(labels: LabelData[]): Promise<number> {
  collectGarbage();
  return timeMs(() => {
    for (const label of labels) bwipjs.raw('datamatrix', label.url, {});
  });
}

export const labelsPdf: Benchmark = {
  name: 'labels-pdf',
  description: `a PDF of ${LABELS.toLocaleString('en-US')} DataMatrix unit labels (62 mm tape) vs bwip-js encoding the symbols alone`,
  needsServerBuild: false,
  async run() {
    progress('warm-up: one round of each side');
    await floorRound(makeLabels());
    await pdfRound(makeLabels());
    const figure: number[] = [];
    const floor: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Fresh codes each run, the same ones for both sides.
      const labels = makeLabels();
      progress(`floor, run ${run + 1} of ${RUNS}`);
      floor.push(await floorRound(labels));
      progress(`PDF, run ${run + 1} of ${RUNS}`);
      figure.push(await pdfRound(labels));
    }
    const f = Math.min(...figure);
    const fl = Math.min(...floor);
    line(
      `  PDF ${duration(f)} (runs ${figure.map(duration).join(', ')}), floor ${duration(fl)} (runs ${floor.map(duration).join(', ')})`,
    );
    const name = `labels pdf ${LABELS / 1000}k DataMatrix`;
    const outcomes: Outcome[] = [
      {
        name: `${name}: time`,
        figure: duration(f),
        floor: duration(fl),
        ratio: times(f, fl),
        target: `< ${seconds(MAX_MS / 1000)}`,
        met: f < MAX_MS,
      },
      {
        name: `${name}: ratio`,
        figure: duration(f),
        floor: duration(fl),
        ratio: times(f, fl),
        target: `≤ ${MAX_RATIO}× floor`,
        met: f <= MAX_RATIO * fl,
      },
    ];
    outcomes.forEach(printOutcome);
    return outcomes;
  },
};
