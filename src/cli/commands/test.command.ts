import { statSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ValidationError } from '../../domain/errors.js';
import { TEST_VALUE_TYPES, limits, type TestValueType } from '../../domain/test-value.js';
import { updateProject } from '../../projects/project.service.js';
import type { TestResult } from '../../test-results/test-result.schemas.js';
import {
  getUnitTests,
  recordTestResult,
  uploadTestResults,
  voidTestResult,
} from '../../test-results/test-result.service.js';
import { getBuildTestSummary } from '../../builds/build-tests.service.js';
import type { TestTemplate } from '../../test-results/test-template.schemas.js';
import {
  createTestTemplate,
  listTestTemplates,
  updateTestTemplate,
} from '../../test-results/test-template.service.js';
import { cliActor, withContext, withDatabaseOptions, type DatabaseFlags } from '../options.js';
import { readTextFile } from '../arguments.js';
import { printFields, printJson, printTable, progress, progressDone } from '../output.js';
import { codeOf } from '../codes.js';

/** 20,000 rows (the most one upload takes) of generous CSV or JSON stay far below this. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

interface JsonFlag extends DatabaseFlags {
  json?: boolean;
}

export function testCommand(program: Command): void {
  const test = program
    .command('test')
    .description('tests: templates per part, results per unit, uploads from test stations');

  const template = test.command('template').description("a part's test templates");
  withDatabaseOptions(
    template
      .command('add')
      .description('define a test of a part')
      .argument('<part>', 'part code')
      .requiredOption('--key <key>', 'stable key stations upload by (letters, digits, _ . -)')
      .requiredOption('--name <name>')
      .addOption(
        new Option('--type <type>', 'what the test records')
          .choices([...TEST_VALUE_TYPES])
          .default('pass_fail'),
      )
      .option('--unit <unit>', 'unit of a number test, e.g. V')
      .option('--min <n>', 'lower limit of a number test (inclusive)')
      .option('--max <n>', 'upper limit of a number test (inclusive)')
      .option('--description <text>')
      .option('--optional', 'not required for a unit to pass')
      .option('--requires-file', 'every result must come with an attachment')
      .option('--json', 'print JSON'),
  ).action(
    (
      part: string,
      flags: JsonFlag & {
        key: string;
        name: string;
        type: TestValueType;
        unit?: string;
        min?: string;
        max?: string;
        description?: string;
        optional?: boolean;
        requiresFile?: boolean;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const partCode = await codeOf(ctx, part, 'part', 'part');
        const created = await createTestTemplate(ctx, cliActor(), partCode, {
          key: flags.key,
          name: flags.name,
          valueType: flags.type,
          unit: flags.unit ?? '',
          min: flags.min ?? null,
          max: flags.max ?? null,
          description: flags.description ?? '',
          required: !flags.optional,
          requiresAttachment: flags.requiresFile ?? false,
        });
        if (flags.json) return printJson(created);
        printTemplates([created]);
      }),
  );
  withDatabaseOptions(
    template
      .command('list')
      .description("a part's test templates in order")
      .argument('<part>', 'part code')
      .option('--all', 'disabled templates too')
      .option('--json', 'print JSON'),
  ).action((part: string, flags: JsonFlag & { all?: boolean }) =>
    withContext(flags, async (ctx) => {
      const items = await listTestTemplates(ctx, await codeOf(ctx, part, 'part', 'part'), {
        disabled: flags.all ? 'true' : 'false',
      });
      if (flags.json) return printJson({ items });
      printTemplates(items, 'no test templates: add one with `tracelot test template add PART`');
    }),
  );
  withDatabaseOptions(
    template
      .command('edit')
      .description(
        'change a test template; its type changes only with --reason, while no result uses it',
      )
      .argument('<template>', 'test template code')
      .option('--name <name>')
      .addOption(
        new Option('--type <type>', 'what the test records').choices([...TEST_VALUE_TYPES]),
      )
      .option('--unit <unit>', 'unit of a number test, e.g. V')
      .option('--min <n>', "lower limit of a number test ('none': no limit)")
      .option('--max <n>', "upper limit of a number test ('none': no limit)")
      .option('--reason <text>', 'why the type changes (a correction: required with --type)')
      .option('--json', 'print JSON'),
  ).action(
    (
      code: string,
      flags: JsonFlag & {
        name?: string;
        type?: TestValueType;
        unit?: string;
        min?: string;
        max?: string;
        reason?: string;
      },
    ) =>
      withContext(flags, async (ctx) => {
        const limit = (v: string | undefined) => (v === 'none' ? null : v);
        const updated = await updateTestTemplate(
          ctx,
          cliActor(),
          await codeOf(ctx, code, 'code', 'test_template'),
          {
            name: flags.name,
            valueType: flags.type,
            unit: flags.unit,
            min: limit(flags.min),
            max: limit(flags.max),
            reason: flags.reason,
          },
        );
        if (flags.json) return printJson(updated);
        printTemplates([updated]);
      }),
  );
  withDatabaseOptions(
    template
      .command('disable')
      .description('disable a test template (its results stay)')
      .argument('<template>', 'test template code'),
  ).action((code: string, flags: DatabaseFlags) =>
    withContext(flags, async (ctx) => {
      const done = await updateTestTemplate(
        ctx,
        cliActor(),
        await codeOf(ctx, code, 'code', 'test_template'),
        { enabled: false },
      );
      console.log(`disabled ${done.key} (${done.name})`);
    }),
  );

  withDatabaseOptions(
    test
      .command('record')
      .description('record one result of a unit')
      .argument('<unit>', 'unit (lot) code')
      .option('--key <key>', "the test template's key")
      .option('--name <name>', 'a free-form test without a template')
      .option('--pass', 'the test passed')
      .option('--fail', 'the test failed')
      .option('--value <value>', 'the measured number or text')
      .option('--station <name>')
      .option('--operator <name>')
      .option('--notes <text>')
      .option('--attachment <code>', 'the file of the result (an attachment code)')
      .option('--json', 'print JSON'),
  ).action(
    (
      unit: string,
      flags: JsonFlag & {
        key?: string;
        name?: string;
        pass?: boolean;
        fail?: boolean;
        value?: string;
        station?: string;
        operator?: string;
        notes?: string;
        attachment?: string;
      },
    ) =>
      withContext(flags, async (ctx) => {
        if (flags.pass && flags.fail) throw new ValidationError('result', 'give --pass or --fail');
        const unitCode = await codeOf(ctx, unit, 'unit', 'lot');
        const result = await recordTestResult(ctx, cliActor(), unitCode, {
          key: flags.key,
          name: flags.name,
          result: flags.pass ? 'pass' : flags.fail ? 'fail' : undefined,
          value: flags.value,
          station: flags.station ?? '',
          operator: flags.operator ?? '',
          notes: flags.notes ?? '',
          attachment: await codeOf(ctx, flags.attachment, 'attachment', 'attachment'),
        });
        if (flags.json) return printJson(result);
        printFields({
          test: result.key || result.name,
          result: result.result.toUpperCase(),
          value: valueOf(result),
          'recorded at': result.recordedAt,
        });
      }),
  );

  withDatabaseOptions(
    test
      .command('void')
      .description(
        'void a result recorded by mistake (on the wrong unit): it stays, marked, and counts no more',
      )
      .argument('<id>', 'the result id (`tracelot test status UNIT --json` lists them)')
      .requiredOption('--reason <text>', 'why the result does not count')
      .option('--json', 'print JSON'),
  ).action((id: string, flags: JsonFlag & { reason: string }) =>
    withContext(flags, async (ctx) => {
      if (!/^[1-9][0-9]{0,15}$/.test(id.trim())) {
        throw new ValidationError('id', 'must be a result id (a whole number)');
      }
      const result = await voidTestResult(ctx, cliActor(), Number(id.trim()), {
        reason: flags.reason,
      });
      if (flags.json) return printJson(result);
      printFields({
        result: result.id,
        unit: result.unit,
        test: result.key || result.name,
        voided: `${result.voided!.by.name} at ${result.voided!.at}: ${result.voided!.reason}`,
      });
    }),
  );

  withDatabaseOptions(
    test
      .command('upload')
      .description(
        "upload a test station's results: CSV with a header row (unit,key,result,value,…) or JSON",
      )
      .argument('<file>', '.csv, or .json (a list of results, or {"results": […]})')
      .option('--partial', 'store the good rows even when some are rejected')
      .option('--json', 'print the report as JSON'),
  ).action((file: string, flags: JsonFlag & { partial?: boolean }) =>
    withContext(flags, async (ctx) => {
      const size = statSync(file).size;
      if (size > MAX_FILE_BYTES) {
        throw new ValidationError('file', `is ${size} bytes; split it below ${MAX_FILE_BYTES}`);
      }
      const text = readTextFile(file);
      const csv = path.extname(file).toLowerCase() !== '.json';
      const body = csv ? text : jsonBody(text);
      progress(`checking ${path.basename(file)}…`);
      const started = Date.now();
      const report = await uploadTestResults(ctx, cliActor(), body, { partial: flags.partial });
      progressDone();
      if (flags.json) printJson(report);
      else {
        const rejected = report.rows.filter((r) => r.status === 'rejected');
        printTable(
          rejected.map((r) => ({ row: r.row, field: r.error!.field, problem: r.error!.message })),
          ['row', 'field', 'problem'],
          '',
        );
        const seconds = ((Date.now() - started) / 1000).toFixed(2);
        console.log(
          report.stored > 0 || rejected.length === 0
            ? `stored ${report.stored} result${report.stored === 1 ? '' : 's'}, rejected ${rejected.length} (${seconds} s)`
            : `nothing stored: ${rejected.length} of ${report.rows.length} rows rejected (--partial stores the good rows)`,
        );
      }
      if (report.rejected > 0) process.exitCode = 1;
    }),
  );

  withDatabaseOptions(
    test
      .command('status')
      .description("a unit's status per test and its latest results")
      .argument('<unit>', 'unit (lot) code')
      .option('--limit <n>', 'results to list', '20')
      .option('--json', 'print JSON'),
  ).action((unit: string, flags: JsonFlag & { limit: string }) =>
    withContext(flags, async (ctx) => {
      const tests = await getUnitTests(ctx, await codeOf(ctx, unit, 'unit', 'lot'), {
        limit: Number(flags.limit),
      });
      if (flags.json) return printJson(tests);
      printTable(
        tests.tests.map((t) => ({
          key: t.template.key,
          test: t.template.name,
          required: t.template.required ? 'yes' : 'no',
          status: t.status.toUpperCase(),
          value: t.latest ? valueOf(t.latest) : '',
        })),
        ['key', 'test', 'required', 'status', 'value'],
        "no test templates for this unit's part",
      );
      console.log(tests.passed ? 'every required test passed' : 'required tests not passed');
      if (tests.results.items.length === 0) return;
      console.log('');
      printTable(
        tests.results.items.map((r) => ({
          id: r.id,
          test: r.key || r.name,
          result: r.result.toUpperCase(),
          value: valueOf(r),
          tested: r.testedAt,
          voided: r.voided ? `VOIDED: ${r.voided.reason}` : '',
        })),
        ['id', 'test', 'result', 'value', 'tested', 'voided'],
      );
    }),
  );

  withDatabaseOptions(
    test
      .command('summary')
      .description('pass, fail and missing per test across a build’s units')
      .argument('<build>', 'build code')
      .option('--json', 'print JSON'),
  ).action((build: string, flags: JsonFlag) =>
    withContext(flags, async (ctx) => {
      const summary = await getBuildTestSummary(ctx, await codeOf(ctx, build, 'build', 'build'));
      if (flags.json) return printJson(summary);
      console.log(`${summary.units} unit${summary.units === 1 ? '' : 's'}`);
      printTable(
        summary.tests.map((t) => ({
          key: t.template.key,
          test: t.template.name,
          pass: t.pass,
          fail: t.fail,
          missing: t.missing,
        })),
        ['key', 'test', 'pass', 'fail', 'missing'],
        "no test templates for the build's part",
      );
    }),
  );

  withDatabaseOptions(
    test
      .command('require')
      .description("a project's units become available only with every required test passed")
      .argument('<project>', 'project code')
      .argument('<on|off>', 'on or off', onOff),
  ).action((project: string, on: boolean, flags: DatabaseFlags) =>
    withContext(flags, async (ctx) => {
      const updated = await updateProject(
        ctx,
        cliActor(),
        await codeOf(ctx, project, 'project', 'project'),
        { requireTestsPassed: on },
      );
      console.log(
        `${updated.name}: passed tests ${updated.requireTestsPassed ? 'required' : 'not required'} before units become available`,
      );
    }),
  );
}

function printTemplates(items: TestTemplate[], empty?: string): void {
  printTable(
    items.map((t) => ({
      code: t.shortCode,
      key: t.key,
      name: t.name,
      type: t.valueType,
      limits: t.valueType === 'number' ? `${limits(t)}${t.unit ? ` ${t.unit}` : ''}` : '',
      required: t.required ? 'yes' : 'no',
      enabled: t.enabled ? 'yes' : 'no',
    })),
    ['code', 'key', 'name', 'type', 'limits', 'required', 'enabled'],
    empty,
  );
}

function valueOf(result: TestResult): string {
  return result.valueNumber ?? result.valueText ?? '';
}

function jsonBody(text: string): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('file', `is not JSON: ${(error as Error).message}`);
  }
  return Array.isArray(data) ? { results: data } : data;
}

function onOff(value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new InvalidArgumentError("must be 'on' or 'off'");
}
