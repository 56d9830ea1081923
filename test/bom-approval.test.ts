import { describe, expect, it } from 'vitest';
import { verifyLog } from '../src/audit/audit.service.js';
import { getBuildDhr } from '../src/dhr/dhr.service.js';
import { renderDhrPdf } from '../src/dhr/dhr-pdf.js';
import { listHistory } from '../src/history/history.repository.js';
import { makeProject, stock } from './support/build-factories.js';
import { DIALECTS } from './support/databases.js';
import { makeLocation } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';
import { SIGNER_PASSWORD, useSignerApi } from './support/signer.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: approving a BOM revision`, () => {
    const t = useSignerApi(dialect);
    const db = () => t.api.database.db;
    const approve = (project: string, body: object, role?: 'viewer') =>
      t.api.call('POST', `/api/v1/projects/${project}/bom/approve`, body, role);
    const requireSignatureFor = (operations: string[]) =>
      t.api.call('PUT', '/api/v1/settings/signatures', { require: operations });

    it('approves the current revision once; the BOM, its history and a later change say so', async () => {
      const project = await makeProject(t.api.ctx, [{ perUnit: 1 }]);
      expect((await t.api.call('GET', `/api/v1/projects/${project.code}/bom`)).body.approval).toBe(
        null,
      );
      const res = await approve(project.code, { revision: 1, note: 'ECO-7 reviewed' });
      expect(res.status).toBe(200);
      expect(res.body.revision).toBe(1);
      expect(res.body.approval).toEqual({
        revision: 1,
        by: { code: expect.any(String), name: 'key:test-admin' },
        at: expect.any(String),
        note: 'ECO-7 reviewed',
        signature: null,
      });
      expect((await listHistory(db(), project.code)).at(-1)).toMatchObject({
        type: 'bom_approved',
        data: { revision: 1, note: 'ECO-7 reviewed' },
      });

      // Approved once: a second approval of the revision is a 409 that changes nothing.
      const counts = await rowCounts(db());
      const again = await approve(project.code, { revision: 1 });
      expect(again.status).toBe(409);
      expect(again.body.error.field).toBe('revision');
      expect(again.body.error.message).toMatch(/approved already, by key:test-admin/);
      expect(await rowCounts(db())).toEqual(counts);

      // An approved revision is never changed in place: the next change makes revision 2,
      // which is not approved, and an approval of revision 1 now is stale (409).
      const changed = await t.api.call('PATCH', `/api/v1/projects/${project.code}/bom/entries/1`, {
        comments: 'after approval',
      });
      expect(changed.status).toBe(200);
      expect(changed.body.revision).toBe(2);
      expect(changed.body.approval).toBe(null);
      const stale = await approve(project.code, { revision: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.field).toBe('revision');
      expect(stale.body.error.message).toMatch(/not the BOM's current revision 2/);
      const second = await approve(project.code, { revision: 2 });
      expect(second.status).toBe(200);
      expect(second.body.approval.revision).toBe(2);
    });

    it('refuses bad input, viewers and unknown projects, changing nothing', async () => {
      const project = await makeProject(t.api.ctx, [{ perUnit: 1 }]);
      const counts = await rowCounts(db());
      for (const [body, field] of [
        [{}, 'revision'],
        [{ revision: 0 }, 'revision'],
        [{ revision: 'one' }, 'revision'],
        [{ revision: 1, note: 'x'.repeat(1001) }, 'note'],
        [{ revision: 1, extra: true }, 'body'],
        [{ revision: 1, signature: { password: 'x', meaning: 'liked' } }, 'signature.meaning'],
      ] as const) {
        const res = await approve(project.code, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.field).toBe(field);
      }
      expect((await approve(project.code, { revision: 1 }, 'viewer')).status).toBe(403);
      const unknown = await approve(t.api.ctx.newCode(), { revision: 1 });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.field).toBe('code');
      // An API key cannot sign: there is no password of its own to enter.
      const keySigned = await approve(project.code, {
        revision: 1,
        signature: { password: SIGNER_PASSWORD, meaning: 'approved' },
      });
      expect(keySigned.status).toBe(409);
      expect(keySigned.body.error.field).toBe('signature');
      expect(await rowCounts(db())).toEqual(counts);
    });

    it('a required signature: missing is a 409, a wrong password is refused and logged, the right one signs', async () => {
      const project = await makeProject(t.api.ctx, [{ perUnit: 1 }]);
      expect((await requireSignatureFor(['bom_approved'])).status).toBe(200);
      try {
        const counts = await rowCounts(db());
        const missing = await t.signer.as('POST', `/api/v1/projects/${project.code}/bom/approve`, {
          revision: 1,
        });
        expect(missing.status).toBe(409);
        expect(missing.body.error.field).toBe('signature');
        expect(missing.body.error.message).toMatch(
          /approve a revision of a project’s BOM requires an electronic signature/,
        );
        expect(await rowCounts(db())).toEqual(counts);

        const wrong = await t.signer.as('POST', `/api/v1/projects/${project.code}/bom/approve`, {
          revision: 1,
          signature: { password: 'not mine', meaning: 'approved' },
        });
        expect(wrong.status).toBe(403);
        expect(wrong.body.error.field).toBe('signature.password');
        expect((await listHistory(db(), t.signer.user.code)).at(-1)).toMatchObject({
          type: 'signature_refused',
          data: { operations: ['bom_approved'], meaning: 'approved' },
        });
        expect(
          (await t.api.call('GET', `/api/v1/projects/${project.code}/bom`)).body.approval,
        ).toBe(null);

        const signed = await t.signer.as('POST', `/api/v1/projects/${project.code}/bom/approve`, {
          revision: 1,
          signature: { password: SIGNER_PASSWORD, meaning: 'approved' },
        });
        expect(signed.status).toBe(200);
        expect(signed.body.approval).toMatchObject({
          by: { code: t.signer.user.code, name: t.signer.user.username },
          signature: {
            signer: t.signer.user.username,
            meaning: 'approved',
            record: expect.any(String),
          },
        });
        // The signature is in the project's history, after the approval it signs.
        expect((await listHistory(db(), project.code)).slice(-2)).toMatchObject([
          { type: 'bom_approved', change: signed.body.approval.signature.record },
          {
            type: 'signed',
            data: { meaning: 'approved', operation: 'bom_approved' },
            actor: { name: t.signer.user.username },
          },
        ]);
        expect((await verifyLog(t.api.ctx)).ok).toBe(true);
      } finally {
        await requireSignatureFor([]);
      }
    });

    it("the build and its DHR say whether the build's BOM revision was approved, by whom, signed", async () => {
      const project = await makeProject(t.api.ctx, [{ perUnit: 1 }]);
      const line = await makeLocation(t.api.ctx);
      await stock(t.api.ctx, project.parts[0]!, [10], line.code);
      const start = () =>
        t.api.call('POST', '/api/v1/builds', {
          project: project.code,
          quantity: 1,
          location: line.code,
          serialized: true,
        });
      const unapproved = await start();
      expect(unapproved.status).toBe(201);
      expect(unapproved.body.bomApproval).toBe(null);
      const signed = await t.signer.as('POST', `/api/v1/projects/${project.code}/bom/approve`, {
        revision: 1,
        note: 'released for production',
        signature: { password: SIGNER_PASSWORD, meaning: 'approved' },
      });
      expect(signed.status).toBe(200);
      // The approval is of revision 1, which the first build started with too.
      const build = (await t.api.call('GET', `/api/v1/builds/${unapproved.body.code}`)).body;
      expect(build.bomApproval).toEqual(signed.body.approval);

      const dhr = await getBuildDhr(t.api.ctx, build.code);
      const section = dhr.sections.find((s) => s.type === 'build');
      expect(section).toMatchObject({
        bomRevision: 1,
        bomApproval: {
          by: t.signer.user.username,
          note: 'released for production',
          signature: { signer: t.signer.user.username, meaning: 'approved' },
        },
      });
      const pdf = await renderDhrPdf(dhr);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const viaApi = await t.api.call('GET', `/api/v1/builds/${build.code}/dhr.json`);
      expect(viaApi.status).toBe(200);
      expect(
        viaApi.body.sections.find((s: { type: string }) => s.type === 'build').bomApproval,
      ).toEqual((section as { bomApproval: unknown }).bomApproval);
    });

    it('two parallel approvals of one revision: exactly one is recorded', async () => {
      const project = await makeProject(t.api.ctx, [{ perUnit: 1 }]);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => approve(project.code, { revision: 1 })),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
      const history = await listHistory(db(), project.code);
      expect(history.filter((e) => e.type === 'bom_approved')).toHaveLength(1);
    });
  });
}
