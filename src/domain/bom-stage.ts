/**
 * Named BOM stages. The stage number is the key (entries, completions and builds refer to it);
 * a name and a documentation flag (the stage places no parts) are stored beside it. A stage an
 * entry uses without a stored name is still a stage: it is shown as "Stage <n>".
 */

export const MAX_STAGE = 1_000;
export const MAX_STAGE_NAME = 100;
/** The most named stages one project may have. */
export const MAX_STAGES = 100;

export interface StageInfo {
  stage: number;
  /** '' when the stage has no name. */
  name: string;
  documentation: boolean;
}

/** How people see a stage: "2 · Hand solder", or "Stage 2" when it has no name. */
export function stageLabel(stage: number, name: string | undefined): string {
  return name ? `${stage} · ${name}` : `Stage ${stage}`;
}

/**
 * Every stage of a BOM in order: the named ones and those only entries use (unnamed).
 * `named` and `used` may overlap; a named stage keeps its name.
 */
export function mergeStages(named: readonly StageInfo[], used: Iterable<number>): StageInfo[] {
  const out = new Map(named.map((s) => [s.stage, s]));
  for (const stage of used) {
    if (!out.has(stage)) out.set(stage, { stage, name: '', documentation: false });
  }
  return [...out.values()].sort((a, b) => a.stage - b.stage);
}

/** Stage names compare without case and surrounding space ("smt" is "SMT "). */
export function stageNameKey(name: string): string {
  return name.trim().toLowerCase();
}
