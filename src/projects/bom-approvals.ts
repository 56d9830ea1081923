import type { Database } from '../db/database.js';
import { groupBy } from '../domain/collections.js';
import { listHistoryOf } from '../history/history.repository.js';
import { signaturesByRecord } from '../history/signed-events.js';
import type { BomApproval } from './project.schemas.js';

/*
 * Which BOM revisions are approved, read from the projects' `bom_approved` history events and
 * their signatures (bom-approval.service.ts writes them): computed from stored facts, no flag.
 */

/** The approval of one revision of a project's BOM, if it was approved. */
export async function findBomApproval(
  db: Database,
  project: string,
  revision: number,
): Promise<BomApproval | undefined> {
  return (await bomApprovalsOf(db, [project])).get(project)?.find((a) => a.revision === revision);
}

/** The approvals of the projects' BOM revisions, oldest first, by project code. */
export async function bomApprovalsOf(
  db: Database,
  projects: readonly string[],
): Promise<Map<string, BomApproval[]>> {
  if (projects.length === 0) return new Map();
  const events = await listHistoryOf(db, projects, ['bom_approved', 'signed']);
  const signatures = signaturesByRecord(events);
  const approvals = events
    .filter((e) => e.type === 'bom_approved')
    .map((e) => ({
      project: e.subjectCode,
      revision: Number(e.data.revision),
      by: e.actor,
      at: e.at,
      note: String(e.data.note ?? ''),
      signature: (e.change && signatures.get(e.change)) || null,
    }));
  return new Map(
    [...groupBy(approvals, (a) => a.project)].map(([code, list]) => [
      code,
      list.map(({ project: _, ...a }) => a),
    ]),
  );
}
