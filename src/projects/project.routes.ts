import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { BomFileError } from '../domain/bom-csv.js';
import { CodeParams, ErrorBody } from '../domain/common.schemas.js';
import { ForbiddenError } from '../domain/errors.js';
import { canWrite } from '../domain/roles.js';
import { approveBom } from './bom-approval.service.js';
import { importBom } from './bom-import.service.js';
import { addStage, updateStage } from './bom-stage.service.js';
import {
  addBomEntry,
  assignBomStage,
  getBom,
  removeBomEntry,
  replaceBom,
  updateBomEntry,
} from './bom.service.js';
import {
  Bom,
  BomApprovalRequest,
  BomEntryCreate,
  BomEntryUpdate,
  BomFileErrorBody,
  BomImportRequest,
  BomImportResult,
  BomReplace,
  BomStageAssign,
  EntryParams,
  Project,
  ProjectCreate,
  ProjectPage,
  ProjectQuery,
  ProjectUpdate,
  StageCreate,
  StageParams,
  StageUpdate,
} from './project.schemas.js';
import { createProject, getProject, listProjects, updateProject } from './project.service.js';

export const projectRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['projects'];
  app.get(
    '/projects',
    {
      schema: {
        tags,
        summary: 'List and search projects',
        querystring: ProjectQuery,
        response: { 200: ProjectPage },
      },
    },
    (req) => listProjects(ctx, req.query),
  );
  app.post(
    '/projects',
    {
      schema: {
        tags,
        summary: 'Create a project (and its sub-assembly part, unless one is named)',
        body: ProjectCreate,
        response: { 201: Project },
      },
    },
    async (req, reply) => reply.code(201).send(await createProject(ctx, req.actor, req.body)),
  );
  app.get(
    '/projects/:code',
    { schema: { tags, summary: 'Get a project', params: CodeParams, response: { 200: Project } } },
    (req) => getProject(ctx, req.params.code),
  );
  app.patch(
    '/projects/:code',
    {
      schema: {
        tags,
        summary: 'Change a project; `archived: true` archives it',
        params: CodeParams,
        body: ProjectUpdate,
        response: { 200: Project },
      },
    },
    (req) => updateProject(ctx, req.actor, req.params.code, req.body),
  );

  app.get(
    '/projects/:code/bom',
    {
      schema: {
        tags,
        summary: "A project's BOM, entries in position order",
        params: CodeParams,
        response: { 200: Bom },
      },
    },
    (req) => getBom(ctx, req.params.code),
  );
  app.put(
    '/projects/:code/bom',
    {
      schema: {
        tags,
        summary: 'Replace the whole BOM (one transaction)',
        params: CodeParams,
        body: BomReplace,
        response: { 200: Bom },
      },
    },
    (req) => replaceBom(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/projects/:code/bom/entries',
    {
      schema: {
        tags,
        summary: 'Add one BOM entry (at `position`, default the end)',
        params: CodeParams,
        body: BomEntryCreate,
        response: { 201: Bom },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await addBomEntry(ctx, req.actor, req.params.code, req.body)),
  );
  app.patch(
    '/projects/:code/bom/entries/:position',
    {
      schema: {
        tags,
        summary: 'Change one BOM entry (or move it with `position`)',
        params: EntryParams,
        body: BomEntryUpdate,
        response: { 200: Bom },
      },
    },
    (req) => updateBomEntry(ctx, req.actor, req.params.code, req.params.position, req.body),
  );
  app.delete(
    '/projects/:code/bom/entries/:position',
    {
      schema: {
        tags,
        summary: 'Remove one BOM entry; later entries move up',
        params: EntryParams,
        response: { 200: Bom },
      },
    },
    (req) => removeBomEntry(ctx, req.actor, req.params.code, req.params.position),
  );
  app.post(
    '/projects/:code/bom/stage',
    {
      schema: {
        tags,
        summary: 'Move many BOM entries to one stage (one change)',
        params: CodeParams,
        body: BomStageAssign,
        response: { 200: Bom },
      },
    },
    (req) => assignBomStage(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/projects/:code/bom/approve',
    {
      schema: {
        tags,
        summary:
          'Approve the BOM revision (signable: bom_approved); 409 when it is not the current revision or is approved already',
        params: CodeParams,
        body: BomApprovalRequest,
        response: { 200: Bom },
      },
    },
    (req) => approveBom(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/projects/:code/stages',
    {
      schema: {
        tags,
        summary: 'Add a named stage (a documentation stage places no parts)',
        params: CodeParams,
        body: StageCreate,
        response: { 201: Bom },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await addStage(ctx, req.actor, req.params.code, req.body)),
  );
  app.patch(
    '/projects/:code/stages/:stage',
    {
      schema: {
        tags,
        summary: 'Rename a stage or change whether it is documentation only',
        params: StageParams,
        body: StageUpdate,
        response: { 200: Bom },
      },
    },
    (req) => updateStage(ctx, req.actor, req.params.code, req.params.stage, req.body),
  );
  app.post(
    '/projects/:code/bom/import',
    {
      schema: {
        tags,
        summary: 'Preview or import a BOM file (KiCad exports or any CSV with a column mapping)',
        description:
          '`commit: false` answers what the import would do and changes nothing (viewers may preview). `commit: true` replaces the BOM, all or nothing. ' +
          'Parts are matched by a `part` column (a part code), then MPN (ignoring case), then value + footprint (custom fields `value` and `footprint`, or a part named "<value> <footprint>"; footprints compared without the KiCad library prefix). ' +
          'A file that cannot be imported answers 400 with `error.field` "csv" and every offending line in `error.problems`.',
        params: CodeParams,
        body: BomImportRequest,
        response: { 200: BomImportResult, 400: BomFileErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
      // A preview only reads: viewers may preview; committing needs an editor.
      config: { access: 'read' },
    },
    async (req, reply) => {
      if (req.body.commit && !canWrite(req.actor.role))
        throw new ForbiddenError(
          `${req.actor.name} is a ${req.actor.role} and cannot make changes`,
        );
      try {
        return await importBom(ctx, req.actor, req.params.code, req.body);
      } catch (error) {
        // The one error body with more than code, message and field: the offending lines.
        if (error instanceof BomFileError) {
          return reply.code(400).send({
            error: {
              code: error.code,
              message: error.message,
              field: error.field,
              problems: error.problems,
            },
          });
        }
        throw error;
      }
    },
  );
};
