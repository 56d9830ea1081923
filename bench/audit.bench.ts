/**
 * `tracelot audit verify` (src/audit/audit.service.ts verifyLog) over a log of change records
 * written by the real writer (one transaction each, as the services write them: a field change
 * of a part with its history event), on SQLite. Floor: the same rows read with a bare prepared
 * statement and each hash recomputed (SHA-256 over the previous hash and the content) — the
 * least any verification does. Target: ≥ 100,000 records/s.
 */
import { createHash } from 'node:crypto';
import { verifyLog } from '../src/audit/audit.service.js';
import { inTransaction } from '../src/db/database.js';
import { appendHistory } from '../src/history/history.repository.js';
import { withBenchDatabase } from './support/bench-database.js';
import type { Benchmark } from './support/benchmark.js';
import { line, perSecond, printOutcome, progress, share, type Outcome } from './support/report.js';
import { median, timeMs } from './support/timing.js';

const RECORDS = 50_000;
const MIN_RECORDS_PER_SECOND = 100_000;
const RUNS = 5;

export const auditVerify: Benchmark = {
  name: 'audit-verify',
  description: `audit verify of ${RECORDS.toLocaleString('en-US')} change records (chain and state) vs the hashes recomputed over a bare read`,
  needsServerBuild: false,
  async run() {
    return withBenchDatabase('audit', async ({ ctx, bare }) => {
      progress(`writing ${RECORDS.toLocaleString('en-US')} records through the change log`);
      const actor = { code: null, name: 'bench', role: 'admin' as const };
      for (let i = 0; i < RECORDS; i++) {
        const subject = ctx.newCode();
        await inTransaction(ctx.db, (db) =>
          appendHistory(db, actor, new Date().toISOString(), [
            {
              subjectCode: subject,
              type: 'updated',
              data: { name: { from: `a${i}`, to: `b${i}` } },
            },
          ]),
        );
      }
      const rows = bare().prepare(
        'select prev_hash, content, hash from change_record order by site_id, seq',
      );
      const floor = () => {
        let ok = 0;
        for (const r of rows.iterate() as Iterable<{
          prev_hash: string;
          content: string;
          hash: string;
        }>) {
          const hash = createHash('sha256')
            .update(r.prev_hash)
            .update('\n')
            .update(r.content)
            .digest('hex');
          if (hash === r.hash) ok++;
        }
        if (ok !== RECORDS + 1) throw new Error(`floor verified ${ok} records`);
      };
      let records = 0;
      const service = async () => {
        const report = await verifyLog(ctx);
        if (!report.ok) throw new Error(`verify failed: ${report.firstBroken?.problem}`);
        records = report.records;
      };
      await service();
      floor();
      const serviceMs: number[] = [];
      const floorMs: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        serviceMs.push(await timeMs(service));
        floorMs.push(await timeMs(floor));
      }
      const rate = (records * 1000) / median(serviceMs);
      const floorRate = (records * 1000) / median(floorMs);
      line(`  verify ${perSecond(rate)} records, floor ${perSecond(floorRate)} records`);
      const outcome: Outcome = {
        name: `audit verify (${records.toLocaleString('en-US')} records): throughput`,
        figure: perSecond(rate),
        floor: perSecond(floorRate),
        ratio: share(rate, floorRate),
        target: `≥ ${perSecond(MIN_RECORDS_PER_SECOND)}`,
        met: rate >= MIN_RECORDS_PER_SECOND,
      };
      printOutcome(outcome);
      return [outcome];
    });
  },
};
