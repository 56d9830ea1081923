import { fileURLToPath } from 'node:url';

/** The package folder (bench/support/ is two levels below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Cached benchmark databases (git-ignored). */
export const DATA_ROOT = fileURLToPath(new URL('../.data/', import.meta.url));

export const TRACELOT_BIN = fileURLToPath(new URL('../../bin/tracelot.js', import.meta.url));
