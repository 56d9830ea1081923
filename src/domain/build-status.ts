/** Where a build is (build.status): a closed set of stable strings. */
export const BUILD_STATUSES = ['in_progress', 'finished', 'cancelled'] as const;
export type BuildStatus = (typeof BUILD_STATUSES)[number];
