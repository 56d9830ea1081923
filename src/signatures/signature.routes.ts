import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { getSignatureSettings, setSignatureSettings } from './signature.service.js';
import { SignatureSettings, SignatureSettingsUpdate } from './signature.schemas.js';

export const signatureRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['settings'];
  // Readable by every user: the confirm dialogs ask for a signature when one is required.
  app.get(
    '/settings/signatures',
    {
      schema: {
        tags,
        summary: 'Which operations require an electronic signature',
        response: { 200: SignatureSettings },
      },
    },
    () => getSignatureSettings(ctx),
  );
  app.put(
    '/settings/signatures',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Set which operations require an electronic signature (admins; logged)',
        body: SignatureSettingsUpdate,
        response: { 200: SignatureSettings },
      },
    },
    (req) => setSignatureSettings(ctx, req.actor, req.body),
  );
};
