import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A guard against a hang, not a speed target: a CLI test runs a dozen or more processes,
    // 1–3 s each while the other worker's files load both cores (up to 30 s in CI).
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Two cores: files run in parallel, each with its own databases.
    maxWorkers: 2,
  },
});
