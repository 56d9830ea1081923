import type { Context } from '../context.js';
import type { BuildTestSummary } from '../test-results/test-result.schemas.js';
import { summarizeBuildTests } from '../test-results/test-result.service.js';
import { getBuildRow } from './build-view.service.js';

/** Pass, fail and missing per enabled test across the build's units (scrapped units left out). */
export async function getBuildTestSummary(ctx: Context, ref: string): Promise<BuildTestSummary> {
  return summarizeBuildTests(ctx, await getBuildRow(ctx, ref));
}
