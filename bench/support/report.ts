/**
 * What a benchmark hands back, and how it is printed: each figure next to the floor measured
 * in the same run (the same work done the barest way) and their ratio against the target.
 */
export interface Outcome {
  /** e.g. `resolve-http full code: throughput`. */
  name: string;
  /** The figure, already formatted with its unit. */
  figure: string;
  floor: string;
  /** e.g. `62 % of floor` or `1.8× floor`. */
  ratio: string;
  target: string;
  /** undefined: informational line without a target. */
  met: boolean | undefined;
}

export function line(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Progress that may be overwritten (stderr, so a redirected report stays clean). */
export function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

export function perSecond(n: number): string {
  return `${Math.round(n).toLocaleString('en-US')}/s`;
}

export function ms(n: number): string {
  return n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(n >= 10 ? 1 : 2)} ms`;
}

/** Latency from autocannon, which records whole milliseconds. */
export function latency(n: number): string {
  return n === 0 ? '<1 ms' : `${Number.isInteger(n) ? n : n.toFixed(1)} ms`;
}

export function seconds(n: number): string {
  return `${n.toFixed(2)} s`;
}

/** Milliseconds as ms, or as seconds from one second on. */
export function duration(elapsed: number): string {
  return elapsed >= 1000 ? seconds(elapsed / 1000) : ms(elapsed);
}

/** Throughput ratio: the figure as a share of the floor (higher is better). */
export function share(figure: number, floor: number): string {
  return `${Math.round((figure / floor) * 100)} % of floor`;
}

/** Cost ratio: how many times the floor's time the figure takes (lower is better). */
export function times(figure: number, floor: number): string {
  return `${(figure / floor).toFixed(2)}× floor`;
}

export function verdict(met: boolean | undefined): string {
  return met === undefined ? 'info' : met ? 'MET' : 'MISSED';
}

/** Prints one outcome as it comes, aligned. */
export function printOutcome(o: Outcome): void {
  line(
    `  ${o.name.padEnd(44)} ${o.figure.padStart(12)}   floor ${o.floor.padStart(12)}   ${o.ratio.padEnd(16)} target ${o.target.padEnd(16)} ${verdict(o.met)}`,
  );
}

export function printSummary(outcomes: Outcome[]): void {
  line();
  line('Summary');
  for (const o of outcomes) printOutcome(o);
  const missed = outcomes.filter((o) => o.met === false).length;
  const targets = outcomes.filter((o) => o.met !== undefined).length;
  line();
  line(`${targets - missed} of ${targets} targets met.`);
}
