import { groupBy } from '../domain/collections.js';
import type { z } from 'zod';
import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseJsonText, toJsonText } from '../db/json-text.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError, TracelotError, ValidationError } from '../domain/errors.js';
import { judgeTestResult, type TestSpec, type TestVerdict } from '../domain/test-value.js';
import type { Actor } from '../domain/roles.js';
import { parseInput, safeParse, validationErrorOf } from '../domain/validate.js';
import { appendHistory, type NewHistoryEvent } from '../history/history.repository.js';
import { getLotRow } from '../lots/lot.service.js';
import { fastBatchRow } from './batch-row.js';
import { csvRows, jsonRows, type RawRow } from './test-batch.js';
import {
  countBuildResults,
  existingAttachments,
  findResultRow,
  findUnitBriefs,
  insertResult,
  insertResults,
  latestResults,
  pageOfResults,
  voidResultRow,
  type NewTestResultRow,
  type TestResultRow,
  type UnitBrief,
} from './test-result.repository.js';
import {
  BatchBody,
  BatchRow,
  MAX_EXTRA_VALUES,
  TestResultInput,
  UnitTestsQuery,
  VoidRequest,
  type BatchReport,
  type BatchRowReport,
  type BuildTestSummary,
  type TestResult,
  type UnitTests,
} from './test-result.schemas.js';
import { listTemplateRows, type TestTemplateRow } from './test-template.repository.js';
import { specOf, toTemplate } from './test-template.service.js';

type ParsedRow = ReturnType<typeof BatchRow.parse>;

/** A row that passed validation, ready to insert. */
interface Prepared {
  row: number;
  insert: NewTestResultRow;
}

/** Records one result for one unit; bad input throws (400/404) and stores nothing. */
export async function recordTestResult(
  ctx: Context,
  actor: Actor,
  unitRef: string,
  input: TestResultInput,
): Promise<TestResult> {
  const data = parseInput(TestResultInput, input);
  const unit = await getLotRow(ctx, unitRef, 'unit');
  const at = now(ctx);
  const { prepared, errors } = await prepareRows(ctx, actor, at, [
    { row: 1, parsed: { ...data, unit: unit.code } },
  ]);
  if (errors.length > 0) throw errors[0]!.error;
  const stored = await inTransaction(ctx.db, async (db) => {
    const row = await insertResult(db, prepared[0]!.insert);
    await appendHistory(db, actor, at, [historyOf(unit.code, [row])]);
    return row;
  });
  return toResult(stored);
}

/**
 * Voids a result recorded by mistake (on the wrong unit, say): it stays, marked with who, when
 * and why, and counts no more for the unit's test status, the build's gate and summary. The
 * right unit's result is recorded as any other. Voiding twice is refused (409): the guarded
 * update lets exactly one of two concurrent voids through.
 */
export async function voidTestResult(
  ctx: Context,
  actor: Actor,
  id: number,
  input: VoidRequest,
): Promise<TestResult> {
  const { reason } = parseInput(VoidRequest, input);
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const row = await findResultRow(db, id);
    if (!row) throw new NotFoundError('test result', String(id), 'id');
    const voided = await voidResultRow(db, id, {
      voided_at: at,
      voided_by_code: actor.code,
      voided_by: actor.name,
      void_reason: reason,
    });
    if (!voided) throw new ConflictError(`test result ${id} is voided already`, 'id');
    await appendHistory(db, actor, at, [
      {
        subjectCode: row.lot_code,
        type: 'test_voided',
        data: { result: id, test: row.key || row.name, verdict: row.result, reason },
      },
    ]);
  });
  const row = await findResultRow(ctx.db, id);
  return toResult(row!);
}

/**
 * A station's upload of many units' results: JSON `{results, partial}` or CSV text with a
 * header row (`partial` from the query). Every row is checked and reported; unless `partial`,
 * one bad row stores nothing. Units, templates and attachments are looked up once for the
 * whole batch; the good rows go in with multi-row inserts, plus one `test_recorded` event per
 * unit.
 */
export async function uploadTestResults(
  ctx: Context,
  actor: Actor,
  body: unknown,
  options: { partial?: boolean | undefined } = {},
): Promise<BatchReport> {
  let raw: RawRow[];
  let partial = options.partial ?? false;
  if (typeof body === 'string') raw = csvRows(body);
  else {
    const data = parseInput(BatchBody, body);
    raw = jsonRows(data.results);
    partial = options.partial ?? data.partial;
  }
  const at = now(ctx);
  const reports: BatchRowReport[] = [];
  const parsed: { row: number; parsed: ParsedRow }[] = [];
  const rejected = new Map<number, { field: string; message: string }>();
  for (const { row, data, error } of raw) {
    if (error) {
      rejected.set(row, error);
      continue;
    }
    const fast = fastBatchRow(data);
    if (fast) {
      parsed.push({ row, parsed: fast });
      continue;
    }
    const result = safeParse(BatchRow, data);
    if (result.success) parsed.push({ row, parsed: result.data });
    else rejected.set(row, rowError(result.error));
  }
  const { prepared, errors } = await prepareRows(ctx, actor, at, parsed);
  for (const e of errors) rejected.set(e.row, errorOf(e.error));
  const store = rejected.size === 0 || partial;
  if (store && prepared.length > 0) {
    await inTransaction(ctx.db, async (db) => {
      await insertResults(
        db,
        prepared.map((p) => p.insert),
      );
      const byUnit = groupBy(
        prepared.map((p) => p.insert),
        (row) => row.lot_code,
      );
      await appendHistory(
        db,
        actor,
        at,
        [...byUnit].map(([unit, rows]) => historyOf(unit, rows)),
      );
    });
  }
  const verdicts = new Map<number, TestVerdict>();
  for (const p of prepared) verdicts.set(p.row, p.insert.result);
  for (const { row } of raw) {
    const error = rejected.get(row);
    if (error) reports.push({ row, status: 'rejected', error });
    else reports.push({ row, status: store ? 'stored' : 'valid', result: verdicts.get(row)! });
  }
  return {
    stored: store ? prepared.length : 0,
    rejected: rejected.size,
    rows: reports,
  };
}

/**
 * Checks parsed rows against the database: the unit exists, the key names an enabled template
 * of the unit's part, the value fits the template, the attachment exists. One query each for
 * units, templates and attachments, whatever the number of rows.
 */
async function prepareRows(
  ctx: Context,
  actor: Actor,
  at: string,
  rows: { row: number; parsed: ParsedRow }[],
): Promise<{ prepared: Prepared[]; errors: { row: number; error: TracelotError }[] }> {
  const errors: { row: number; error: TracelotError }[] = [];
  const codes = new Map<number, string>();
  const attachmentCodes = new Map<number, string>();
  // A batch names each unit about as many times as it has tests: each text is read once.
  const unitCodes = new Map<string, string>();
  for (const { row, parsed } of rows) {
    try {
      let code = unitCodes.get(parsed.unit);
      if (code === undefined) unitCodes.set(parsed.unit, (code = parseCode(parsed.unit, 'unit')));
      if (parsed.attachment) attachmentCodes.set(row, parseCode(parsed.attachment, 'attachment'));
      // Only rows whose codes read go on: a row answers with its first error only.
      codes.set(row, code);
    } catch (error) {
      errors.push({ row, error: error as TracelotError });
    }
  }
  const units = new Map<string, UnitBrief>(
    (await findUnitBriefs(ctx.db, [...new Set(codes.values())])).map((u) => [u.code, u]),
  );
  const templates = new Map<string, Map<string, TestTemplateRow>>();
  const parts = [...new Set([...units.values()].map((u) => u.part_code))];
  for (const t of await listTemplateRows(ctx.db, parts, { disabled: true })) {
    let ofPart = templates.get(t.part_code);
    if (!ofPart) templates.set(t.part_code, (ofPart = new Map()));
    ofPart.set(t.key, t);
  }
  const attachments = await existingAttachments(ctx.db, [...new Set(attachmentCodes.values())]);
  const found: Found = { templates, specs: new Map(), attachments };
  const prepared: Prepared[] = [];
  for (const { row, parsed } of rows) {
    const code = codes.get(row);
    if (code === undefined) continue;
    try {
      const unit = units.get(code);
      if (!unit) throw new NotFoundError('unit', code, 'unit');
      const attachment = attachmentCodes.get(row) ?? null;
      prepared.push({ row, insert: prepareRow(actor, at, unit, parsed, attachment, found) });
    } catch (error) {
      if (!(error instanceof TracelotError)) throw error;
      errors.push({ row, error });
    }
  }
  return { prepared, errors };
}

/** What prepareRows looked up for the batch. */
interface Found {
  /** By part, then key. */
  templates: Map<string, Map<string, TestTemplateRow>>;
  /** Each template's spec, made once per batch. */
  specs: Map<TestTemplateRow, TestSpec>;
  attachments: Set<string>;
}

function prepareRow(
  actor: Actor,
  at: string,
  unit: UnitBrief,
  data: ParsedRow,
  /** The row's attachment code, read by prepareRows. */
  attachment: string | null,
  found: Found,
): NewTestResultRow {
  const { templates, specs, attachments } = found;
  let template: TestTemplateRow | undefined;
  if (data.key !== undefined) {
    template = templates.get(unit.part_code)?.get(data.key);
    if (!template) {
      throw new NotFoundError('test', data.key, 'key', `the unit's part has no test '${data.key}'`);
    }
    if (template.enabled !== 1) throw new ValidationError('key', `test '${data.key}' is disabled`);
  } else if (data.name === undefined) {
    throw new ValidationError('key', 'give the key of a test template, or a name');
  }
  if (attachment !== null && !attachments.has(attachment)) {
    throw new NotFoundError('attachment', attachment, 'attachment');
  }
  let spec: TestSpec | undefined;
  if (template) {
    spec = specs.get(template);
    if (!spec) specs.set(template, (spec = specOf(template)));
  }
  const judged = judgeTestResult(spec, {
    result: data.result,
    value: data.value,
    attachment: attachment ?? undefined,
  });
  const values = data.values;
  if (values !== undefined && Object.keys(values).length > MAX_EXTRA_VALUES) {
    throw new ValidationError('values', `must have at most ${MAX_EXTRA_VALUES} entries`);
  }
  const startedAt = utcTime(data.startedAt);
  const endedAt = utcTime(data.endedAt);
  if (startedAt !== null && endedAt !== null && endedAt < startedAt) {
    throw new ValidationError('endedAt', 'must not be before startedAt');
  }
  return {
    lot_code: unit.code,
    template_code: template?.code ?? null,
    key: template?.key ?? '',
    name: data.name ?? template!.name,
    result: judged.result,
    value_number: judged.valueNumber,
    value_text: judged.valueText,
    extra_values: toJsonText(values ?? {}),
    station: data.station,
    operator: data.operator,
    started_at: startedAt,
    ended_at: endedAt,
    tested_at: endedAt ?? startedAt ?? at,
    notes: data.notes,
    attachment_code: attachment,
    actor_code: actor.code,
    actor_name: actor.name,
    recorded_at: at,
  };
}

const UTC_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * A validated ISO-8601 time as UTC text in toISOString() form: tested_at orders results as
 * text, so every time must be written the same way. (Stations mostly send that form already.)
 */
function utcTime(time: string | undefined): string | null {
  if (time === undefined) return null;
  return UTC_ISO.test(time) ? time : new Date(time).toISOString();
}

/** One `test_recorded` event per unit and upload: how many results, how many failed, which tests. */
function historyOf(unit: string, rows: Pick<NewTestResultRow, 'result' | 'key' | 'name'>[]) {
  const failed = rows.filter((r) => r.result === 'fail');
  return {
    subjectCode: unit,
    type: 'test_recorded',
    data: {
      results: rows.length,
      failed: failed.length,
      tests: [...new Set(rows.map((r) => r.key || r.name))].slice(0, 20),
    },
  } satisfies NewHistoryEvent;
}

/** A row's first problem; an unknown field is named as the field. */
function rowError(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return { field: issue.keys[0]!, message: 'unknown field' };
  return errorOf(validationErrorOf(error, '', 'row'));
}

function errorOf(error: TracelotError): { field: string; message: string } {
  const field = error.field ?? 'row';
  const prefix = `${field}: `;
  const message = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  return { field, message };
}

/** A unit's status per enabled test of its part (its latest result) and its results, newest first. */
export async function getUnitTests(
  ctx: Context,
  unitRef: string,
  query: { limit?: number; offset?: number } = {},
): Promise<UnitTests> {
  const paging = parseInput(UnitTestsQuery, query);
  const unit = await getLotRow(ctx, unitRef, 'unit');
  const [templates, latest, page] = await Promise.all([
    listTemplateRows(ctx.db, [unit.part_code], { disabled: false }),
    latestResults(ctx.db, [unit.code]),
    pageOfResults(ctx.db, unit.code, paging),
  ]);
  const byTemplate = new Map(latest.map((r) => [r.template_code, r]));
  const tests = templates.map((t) => {
    const last = byTemplate.get(t.code);
    return {
      template: toTemplate(t),
      status: last ? last.result : ('missing' as const),
      latest: last ? toResult(last) : null,
    };
  });
  return {
    unit: { code: unit.code, shortCode: shortCode(unit.code), part: unit.part_code },
    tests,
    passed: tests.every((t) => !t.template.required || t.status === 'pass'),
    results: { items: page.rows.map(toResult), total: page.total, ...paging },
  };
}

/**
 * Pass, fail and missing per enabled test across a build's units (scrapped units left out).
 * The caller finds the build (builds' getBuildTestSummary), so test-results need not import builds.
 */
export async function summarizeBuildTests(
  ctx: Context,
  build: { code: string; part_code: string },
): Promise<BuildTestSummary> {
  const [templates, { units, counts }] = await Promise.all([
    listTemplateRows(ctx.db, [build.part_code], { disabled: false }),
    countBuildResults(ctx.db, build.code, build.part_code),
  ]);
  const byTemplate = new Map(counts.map((c) => [c.template_code, c]));
  return {
    build: build.code,
    units,
    tests: templates.map((t) => {
      const c = byTemplate.get(t.code) ?? { pass: 0, fail: 0 };
      return {
        template: toTemplate(t),
        pass: c.pass,
        fail: c.fail,
        missing: units - c.pass - c.fail,
      };
    }),
  };
}

export function toResult(row: TestResultRow): TestResult {
  return {
    id: Number(row.id),
    unit: row.lot_code,
    template: row.template_code,
    key: row.key,
    name: row.name,
    result: row.result,
    valueNumber: row.value_number,
    valueText: row.value_text,
    values: parseJsonText(row.extra_values),
    station: row.station,
    operator: row.operator,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    testedAt: row.tested_at,
    notes: row.notes,
    attachment: row.attachment_code,
    recordedBy: { code: row.actor_code, name: row.actor_name },
    recordedAt: row.recorded_at,
    voided:
      row.voided_at === null
        ? null
        : {
            at: row.voided_at,
            by: { code: row.voided_by_code, name: row.voided_by ?? '' },
            reason: row.void_reason ?? '',
          },
  };
}
