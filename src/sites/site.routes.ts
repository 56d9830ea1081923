import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { Site, SiteList, SiteUpdate } from './site.schemas.js';
import { getLocalSite, listSites, renameLocalSite } from './site.service.js';

export const siteRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['sites'];
  app.get(
    '/site',
    {
      schema: {
        tags,
        summary: 'This instance’s site: id, name and change-log chain head',
        response: { 200: Site },
      },
    },
    () => getLocalSite(ctx),
  );
  app.patch(
    '/site',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Rename this site (admins; logged)',
        body: SiteUpdate,
        response: { 200: Site },
      },
    },
    (req) => renameLocalSite(ctx, req.actor, req.body),
  );
  app.get(
    '/sites',
    {
      schema: {
        tags,
        summary: 'Every site this instance knows: itself, and those whose records came by sync',
        response: { 200: SiteList },
      },
    },
    () => listSites(ctx),
  );
};
