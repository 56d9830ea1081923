import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/** The Node versions package.json promises must be ones every installed package supports. */
describe('engines', () => {
  const ours = (JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } })
    .engines.node;
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
    packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
  };

  it('names a range that includes the Node this runs on', () => {
    expect(semver.satisfies(process.versions.node, ours)).toBe(true);
  });

  it('is within every locked package’s own engines.node', () => {
    const disagreeing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, info]) => {
        const theirs = Array.isArray(info.engines) ? undefined : info.engines?.node;
        if (theirs === undefined || info.optional === true) return [];
        return semver.subset(ours, theirs) ? [] : [`${path} needs ${theirs}`];
      });
    expect(disagreeing).toEqual([]);
  });
});
