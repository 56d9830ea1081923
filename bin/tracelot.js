#!/usr/bin/env node
// The `tracelot` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/server/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error(
    'tracelot is not built yet: run `npm install` (or `npm run build`) in the package folder.',
  );
  process.exit(1);
}
await import(main.href);
