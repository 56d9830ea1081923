import type { Database } from '../db/database.js';
import { shortCode } from '../domain/code.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findUnitBriefs,
  latestResults,
  requiresTestsPassed,
  unitsOfBuild,
} from './test-result.repository.js';
import { listTemplateRows } from './test-template.repository.js';

/** A required test a unit has not passed: its latest result failed, or it has none. */
export interface FailingTest {
  unit: string;
  key: string;
  name: string;
  status: 'fail' | 'missing';
}

/**
 * The required tests these units have not passed, when the project requires passed tests
 * before a unit becomes available (finishing a build, releasing a repaired unit); empty when
 * it does not. A unit's status per test is its latest result (src/test-results).
 */
export async function requiredTestsFailing(
  db: Database,
  projectCode: string,
  unitCodes: string[],
): Promise<FailingTest[]> {
  if (unitCodes.length === 0 || !(await requiresTestsPassed(db, projectCode))) return [];
  return failingRequiredTests(db, unitCodes);
}

/** The required tests these units have not passed, whatever their project requires. */
async function failingRequiredTests(db: Database, unitCodes: string[]): Promise<FailingTest[]> {
  if (unitCodes.length === 0) return [];
  const units = await findUnitBriefs(db, unitCodes);
  const templates = (
    await listTemplateRows(db, [...new Set(units.map((u) => u.part_code))], { disabled: false })
  ).filter((t) => t.required === 1);
  if (templates.length === 0) return [];
  const latest = await latestResults(
    db,
    units.map((u) => u.code),
    templates.map((t) => t.code),
  );
  const verdicts = new Map(latest.map((r) => [`${r.lot_code} ${r.template_code}`, r.result]));
  const order = new Map(unitCodes.map((code, i) => [code, i]));
  const failing: FailingTest[] = [];
  for (const unit of [...units].sort((a, b) => order.get(a.code)! - order.get(b.code)!)) {
    for (const t of templates) {
      if (t.part_code !== unit.part_code) continue;
      const verdict = verdicts.get(`${unit.code} ${t.code}`);
      if (verdict !== 'pass') {
        failing.push({
          unit: unit.code,
          key: t.key,
          name: t.name,
          status: verdict ? 'fail' : 'missing',
        });
      }
    }
  }
  return failing;
}

/**
 * The gate before units become available: refuses (409) when required tests are failing or
 * missing, unless `override` is given with a note — then the override is recorded on `subject`
 * (a `tests_overridden` event listing what was not passed). Returns whether it overrode.
 */
async function refuseOrOverride(
  db: Database,
  actor: Actor,
  at: string,
  subject: string,
  failing: FailingTest[],
  override: { overrideTests: boolean; note: string } | undefined,
): Promise<boolean> {
  if (failing.length === 0) return false;
  if (!override?.overrideTests) {
    const units = new Set(failing.map((f) => f.unit));
    throw new ConflictError(
      `required tests not passed on ${units.size} unit${units.size === 1 ? '' : 's'}: ${listFailing(
        failing,
        true,
      )}. ${
        override
          ? 'Record passing results, or override with overrideTests and a note'
          : 'Start the build without run, record the tests, then finish it'
      }`,
      'overrideTests',
    );
  }
  if (!override.note.trim()) {
    throw new ValidationError('note', 'say why units become available without passed tests');
  }
  await appendHistory(db, actor, at, [
    {
      subjectCode: subject,
      type: 'tests_overridden',
      data: { note: override.note, failing: failing.length, tests: failing.slice(0, 100) },
    },
  ]);
  return true;
}

/**
 * The gate of a serialized build whose units become available (finish, or run in one call,
 * which passes no override): its units that are not scrapped.
 */
export async function checkBuildTests(
  db: Database,
  actor: Actor,
  at: string,
  build: { code: string; project_code: string },
  override?: { overrideTests: boolean; note: string },
): Promise<boolean> {
  if (!(await requiresTestsPassed(db, build.project_code))) return false;
  const failing = await failingRequiredTests(db, await unitsOfBuild(db, build.code));
  return refuseOrOverride(db, actor, at, build.code, failing, override);
}

/**
 * `ict failed, rf missing and 3 more`; with units, each first: `ab12cd34 ict failed; …`.
 */
export function listFailing(failing: FailingTest[], withUnits = false): string {
  const shown = failing
    .slice(0, 10)
    .map(
      (f) =>
        `${withUnits ? `${shortCode(f.unit)} ` : ''}${f.key} ${f.status === 'fail' ? 'failed' : 'missing'}`,
    );
  const more = failing.length > 10 ? `${withUnits ? ';' : ''} and ${failing.length - 10} more` : '';
  return shown.join(withUnits ? '; ' : ', ') + more;
}
