import type { Outcome } from './report.js';

export interface Benchmark {
  /** Chosen on the command line: `npm run bench -- <name or part of it>`. */
  name: string;
  description: string;
  /** Spawns bin/tracelot.js, so dist/server must be built first. */
  needsServerBuild: boolean;
  run(): Promise<Outcome[]>;
}

/** The database most benchmarks read: big enough that lookups leave the SQLite page cache. */
export const DATASET_LOTS = 1_000_000;
