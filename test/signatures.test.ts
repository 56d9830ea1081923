import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/audit/audit.service.js';
import type { ChangeRecord } from '../src/domain/change-record.js';
import { createTestApi, type TestApi } from './support/api.js';
import { makeProject, stock } from './support/build-factories.js';
import { DIALECTS } from './support/databases.js';
import { makeLocation } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';
import { makeSigner, SIGNER_PASSWORD as PASSWORD, type Signer } from './support/signer.js';
import { makeUnits } from './support/unit-factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: electronic signatures`, () => {
    let api: TestApi;
    let user: { code: string; username: string };
    /** A request with the signer's session cookie. */
    let asUser: Signer['as'];
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ({ user, as: asUser } = await makeSigner(api));
    });
    afterAll(() => api.close());

    const db = () => api.database.db;
    async function startedBuild() {
      const project = await makeProject(api.ctx, [{ perUnit: 1 }]);
      const line = await makeLocation(api.ctx);
      const reel = await stock(api.ctx, project.parts[0]!, [10]);
      const started = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 2,
        location: line.code,
        serialized: true,
      });
      expect(started.status).toBe(201);
      const code: string = started.body.code;
      const done = await api.call('POST', `/api/v1/builds/${code}/stages/1/complete`, {
        lots: [{ entry: 1, lot: reel.lots[0] }],
      });
      expect(done.status).toBe(200);
      return code;
    }
    const records = () => db().selectFrom('change_record').selectAll().orderBy('seq').execute();

    it('configuration: admins set it, it is logged, bad names are a 400 naming the field', async () => {
      const before = await records();
      const set = await api.call('PUT', '/api/v1/settings/signatures', {
        require: ['build_finished'],
      });
      expect(set.status).toBe(200);
      expect(
        set.body.operations.filter((o: any) => o.required).map((o: any) => o.operation),
      ).toEqual(['build_finished']);
      const after = await records();
      expect(after.length).toBe(before.length + 1);
      const record = JSON.parse(after.at(-1)!.content) as ChangeRecord;
      expect(record.events[0]).toMatchObject({
        subject: 'settings:signatures',
        type: 'updated',
        data: { signaturesRequired: { from: [], to: ['build_finished'] } },
      });
      // The same again changes nothing and writes no record.
      await api.call('PUT', '/api/v1/settings/signatures', { require: ['build_finished'] });
      expect((await records()).length).toBe(after.length);

      const counts = await rowCounts(db());
      const bad = await api.call('PUT', '/api/v1/settings/signatures', { require: ['fly'] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toMatch(/^require/);
      const editor = await api.call(
        'PUT',
        '/api/v1/settings/signatures',
        { require: [] },
        'editor',
      );
      expect(editor.status).toBe(403);
      expect(await rowCounts(db())).toEqual(counts);
      const read = await api.call('GET', '/api/v1/settings/signatures', undefined, 'viewer');
      expect(read.status).toBe(200);
      expect(read.body.meanings).toEqual(['approved', 'reviewed', 'performed']);
    });

    it('a finish without the required signature is a 409 naming it; nothing changes', async () => {
      const build = await startedBuild();
      const counts = await rowCounts(db());
      const res = await asUser('POST', `/api/v1/builds/${build}/finish`, {});
      expect(res.status).toBe(409);
      expect(res.body.error.field).toBe('signature');
      expect(res.body.error.message).toMatch(/finish a build requires an electronic signature/);
      expect(await rowCounts(db())).toEqual(counts);
      expect((await api.call('GET', `/api/v1/builds/${build}`)).body.status).toBe('in_progress');
    });

    it('a wrong password is a 403 naming signature.password: the build stays, the refusal is logged', async () => {
      const build = await startedBuild();
      const before = await records();
      const res = await asUser('POST', `/api/v1/builds/${build}/finish`, {
        signature: { password: 'not my password', meaning: 'approved' },
      });
      expect(res.status).toBe(403);
      expect(res.body.error.field).toBe('signature.password');
      expect((await api.call('GET', `/api/v1/builds/${build}`)).body.status).toBe('in_progress');
      const after = await records();
      expect(after.length).toBe(before.length + 1);
      const refusal = JSON.parse(after.at(-1)!.content) as ChangeRecord;
      expect(refusal.operation).toBe('signature_refused');
      expect(refusal.actor).toEqual({ code: user.code, name: user.username });
      expect(refusal.events).toEqual([
        {
          subject: user.code,
          type: 'signature_refused',
          data: { operations: ['build_finished'], meaning: 'approved' },
        },
      ]);
      // Counted by the login throttle like a failed login.
      const users = await api.call('GET', '/api/v1/users');
      expect(users.body.items.find((u: any) => u.code === user.code).failedLogins).toBe(1);
    });

    it('the right password finishes the build, signed by a record bound to its hash; verify holds it', async () => {
      const build = await startedBuild();
      const res = await asUser('POST', `/api/v1/builds/${build}/finish`, {
        signature: { password: PASSWORD, meaning: 'approved' },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('finished');
      const [finish, signed] = (await records()).slice(-2);
      expect(finish!.operation).toBe('build_finished');
      expect(signed!.operation).toBe('signed');
      expect(signed!.seq).toBe(finish!.seq + 1);
      const record = JSON.parse(signed!.content) as ChangeRecord;
      expect(record.signs).toEqual({ record: finish!.id, hash: finish!.hash, meaning: 'approved' });
      expect(record.actor).toEqual({ code: user.code, name: user.username });
      expect(record.events).toEqual([
        {
          subject: build,
          type: 'signed',
          data: { meaning: 'approved', record: finish!.id, operation: 'build_finished' },
        },
      ]);
      // A right password forgets the failures before it.
      const users = await api.call('GET', '/api/v1/users');
      expect(users.body.items.find((u: any) => u.code === user.code).failedLogins).toBe(0);
      // Shown in the build's timeline, after the finish it signs.
      const timeline = await api.call('GET', `/api/v1/builds/${build}/timeline`);
      expect(timeline.status).toBe(200);
      expect(timeline.body.items.slice(-2)).toEqual([
        expect.objectContaining({ type: 'finished' }),
        expect.objectContaining({
          type: 'signed',
          actor: user.username,
          meaning: 'approved',
          operation: 'build_finished',
          record: finish!.id,
        }),
      ]);

      // The audit detail of the finish lists its signature; the signature's names what it signs.
      const detail = await api.call('GET', `/api/v1/audit/changes/${finish!.id}`);
      expect(detail.body.signatures).toEqual([
        {
          id: signed!.id,
          at: signed!.at,
          signer: { code: user.code, name: user.username },
          meaning: 'approved',
        },
      ]);
      const signature = await api.call('GET', `/api/v1/audit/changes/${signed!.id}`);
      expect(signature.body.signs).toEqual({
        record: finish!.id,
        hash: finish!.hash,
        meaning: 'approved',
      });

      expect((await verifyLog(api.ctx)).ok).toBe(true);
      const content = signed!.content.replace('"approved"', '"reviewed"');
      await db()
        .updateTable('change_record')
        .set({ content })
        .where('id', '=', signed!.id)
        .execute();
      try {
        const report = await verifyLog(api.ctx);
        expect(report.ok).toBe(false);
        expect(report.firstBroken).toMatchObject({ seq: signed!.seq, record: signed!.id });
      } finally {
        await db()
          .updateTable('change_record')
          .set({ content: signed!.content })
          .where('id', '=', signed!.id)
          .execute();
      }
      expect((await verifyLog(api.ctx)).ok).toBe(true);
    });

    it('an API key cannot sign (409); a voluntary signature is recorded', async () => {
      const build = await startedBuild();
      const counts = await rowCounts(db());
      const key = await api.call('POST', `/api/v1/builds/${build}/finish`, {
        signature: { password: PASSWORD, meaning: 'approved' },
      });
      expect(key.status).toBe(409);
      expect(key.body.error.field).toBe('signature');
      expect(key.body.error.message).toMatch(/cannot/);
      expect(await rowCounts(db())).toEqual(counts);

      const set = await api.call('PUT', '/api/v1/settings/signatures', { require: [] });
      expect(set.status).toBe(200);
      const res = await asUser('POST', `/api/v1/builds/${build}/finish`, {
        signature: { password: PASSWORD, meaning: 'performed' },
      });
      expect(res.status).toBe(200);
      const [finish, signed] = (await records()).slice(-2);
      expect(JSON.parse(signed!.content).signs).toEqual({
        record: finish!.id,
        hash: finish!.hash,
        meaning: 'performed',
      });
      const bad = await asUser('POST', `/api/v1/builds/${build}/finish`, {
        signature: { password: PASSWORD, meaning: 'liked' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('signature.meaning');
    });

    it('a unit release and a build started with run ask for their signatures too', async () => {
      const { units, location } = await makeUnits(api.ctx, 1);
      const set = await api.call('PUT', '/api/v1/settings/signatures', {
        require: ['released', 'build_finished'],
      });
      expect(set.status).toBe(200);
      const counts = await rowCounts(db());
      const release = await asUser('POST', `/api/v1/units/${units[0]!.code}/release`, {});
      expect(release.status).toBe(409);
      expect(release.body.error.field).toBe('signature');
      expect(release.body.error.message).toMatch(/release a unit requires an electronic signature/);
      expect(await rowCounts(db())).toEqual(counts);

      const project = await makeProject(api.ctx, [{ perUnit: 1 }]);
      await stock(api.ctx, project.parts[0]!, [1], location);
      const before = await rowCounts(db());
      const body = { project: project.code, quantity: 1, location, run: true };
      const run = await asUser('POST', '/api/v1/builds', body);
      expect(run.status).toBe(409);
      expect(run.body.error.field).toBe('signature');
      expect(await rowCounts(db())).toEqual(before);
      const signed = await asUser('POST', '/api/v1/builds', {
        ...body,
        signature: { password: PASSWORD, meaning: 'performed' },
      });
      expect(signed.status).toBe(201);
      expect(signed.body.status).toBe('finished');
      const last = JSON.parse((await records()).at(-1)!.content) as ChangeRecord;
      expect(last.operation).toBe('signed');
      expect(last.signs!.meaning).toBe('performed');
    });

    it('a recall hold asks for its signature when configured, and is signed with it', async () => {
      const project = await makeProject(api.ctx, [{ perUnit: 1 }]);
      const reel = await stock(api.ctx, project.parts[0]!, [5]);
      const lot = reel.lots[0]!;
      const set = await api.call('PUT', '/api/v1/settings/signatures', {
        require: ['recall_held'],
      });
      expect(set.status).toBe(200);
      const before = await rowCounts(db());
      const unsigned = await asUser('POST', `/api/v1/recall/${lot}/hold`, { note: 'bad reel' });
      expect(unsigned.status).toBe(409);
      expect(unsigned.body.error.field).toBe('signature');
      expect(unsigned.body.error.message).toMatch(
        /hold all stock .* requires an electronic signature/,
      );
      expect(await rowCounts(db())).toEqual(before);

      const held = await asUser('POST', `/api/v1/recall/${lot}/hold`, {
        note: 'bad reel',
        signature: { password: PASSWORD, meaning: 'approved' },
      });
      expect(held.status).toBe(200);
      expect(held.body.balances).toBe(1);
      const [hold, signing] = (await records()).slice(-2).map((r) => JSON.parse(r.content));
      expect(hold.objects).toContain(lot);
      expect(signing.signs).toMatchObject({ record: hold.id, meaning: 'approved' });
      expect(signing.actor.name).toBe(user.username);
      expect((await api.call('GET', '/api/v1/audit/verify')).body.ok).toBe(true);
    });
  });
}
