import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { parseInput } from '../domain/validate.js';
import { controlCharacterValidator } from '../http/validator.js';
import {
  BatchQuery,
  BatchReport,
  BatchUpload,
  ResultParams,
  TestResult,
  TestResultInput,
  UnitTests,
  UnitTestsQuery,
  VoidRequest,
} from './test-result.schemas.js';
import {
  getUnitTests,
  recordTestResult,
  uploadTestResults,
  voidTestResult,
} from './test-result.service.js';
import {
  TestTemplate,
  TestTemplateCreate,
  TestTemplateList,
  TestTemplateQuery,
  TestTemplateUpdate,
} from './test-template.schemas.js';
import {
  createTestTemplate,
  getTestTemplate,
  listTestTemplates,
  updateTestTemplate,
} from './test-template.service.js';

/** A bad upload as a whole (no report), or rows rejected and nothing stored (the report). */
const BatchRejected = BatchReport.partial().extend({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

export const testResultRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  // Test stations upload CSV as it comes: the text goes to the service, which reads it.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  const tags = ['tests'];
  app.get(
    '/parts/:code/test-templates',
    {
      schema: {
        tags,
        summary: "A part's test templates in order",
        params: CodeParams,
        querystring: TestTemplateQuery,
        response: { 200: TestTemplateList },
      },
    },
    async (req) => ({ items: await listTestTemplates(ctx, req.params.code, req.query) }),
  );
  app.post(
    '/parts/:code/test-templates',
    {
      schema: {
        tags,
        summary: 'Define a test of the part',
        params: CodeParams,
        body: TestTemplateCreate,
        response: { 201: TestTemplate },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createTestTemplate(ctx, req.actor, req.params.code, req.body)),
  );
  app.get(
    '/test-templates/:code',
    { schema: { tags, params: CodeParams, response: { 200: TestTemplate } } },
    (req) => getTestTemplate(ctx, req.params.code),
  );
  app.patch(
    '/test-templates/:code',
    {
      schema: {
        tags,
        summary: 'Change a test template (its key never changes)',
        params: CodeParams,
        body: TestTemplateUpdate,
        response: { 200: TestTemplate },
      },
    },
    (req) => updateTestTemplate(ctx, req.actor, req.params.code, req.body),
  );
  app.delete(
    '/test-templates/:code',
    {
      schema: {
        tags,
        summary: 'Disable a test template (its results stay)',
        params: CodeParams,
        response: { 200: TestTemplate },
      },
    },
    (req) => updateTestTemplate(ctx, req.actor, req.params.code, { enabled: false }),
  );
  app.get(
    '/units/:code/tests',
    {
      schema: {
        tags,
        summary: "A unit's status per test and its results, newest first",
        params: CodeParams,
        querystring: UnitTestsQuery,
        response: { 200: UnitTests },
      },
    },
    (req) => getUnitTests(ctx, req.params.code, req.query),
  );
  app.post(
    '/units/:code/tests',
    {
      schema: {
        tags,
        summary: 'Record one test result of a unit',
        params: CodeParams,
        body: TestResultInput,
        response: { 201: TestResult },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await recordTestResult(ctx, req.actor, req.params.code, req.body)),
  );
  app.post(
    '/test-results/:id/void',
    {
      schema: {
        tags,
        summary: 'Void a result recorded by mistake (it stays, marked, and counts no more)',
        params: ResultParams,
        body: VoidRequest,
        response: { 200: TestResult },
      },
    },
    (req) => voidTestResult(ctx, req.actor, req.params.id, req.body),
  );
  app.post(
    '/test-results/batch',
    {
      schema: {
        tags,
        summary: "Upload many units' results: JSON, or text/csv with a header row",
        description:
          'CSV columns: unit, key, name, result, value, station, operator, started_at, ended_at, notes, attachment, values.<name>. Every row is reported; unless partial, one rejected row stores nothing (answer 400 with the report).',
        querystring: BatchQuery,
        body: z.union([BatchUpload, z.string().describe('text/csv')]),
        response: { 200: BatchReport, 400: BatchRejected },
      },
      // Checked by the service, row by row, with a report (not the first problem only); control
      // characters here, as on every route.
      validatorCompiler: controlCharacterValidator,
    },
    async (req, reply) => {
      const query = parseInput(BatchQuery, req.query);
      const partial = query.partial === undefined ? undefined : query.partial === 'true';
      const report = await uploadTestResults(ctx, req.actor, req.body, { partial });
      if (report.rejected > 0 && report.stored === 0) {
        return reply.code(400).send({
          error: {
            code: 'validation_error',
            message: `${report.rejected} of ${report.rows.length} rows rejected: nothing stored`,
            field: 'results',
          },
          ...report,
        });
      }
      // Built by the service as a BatchReport; sent as JSON text (fastify sends a string with a
      // JSON content type as it is), since checking the answer against its schema would walk
      // up to 20,000 rows again.
      const json = JSON.stringify(report) as unknown as BatchReport;
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );
};
