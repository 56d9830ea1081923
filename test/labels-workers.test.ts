import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newCode } from '../src/domain/code.js';
import { defaultTemplate } from '../src/domain/label-template.js';
import type { RenderJob } from '../src/labels/label-render.js';
import { LabelRenderPool } from '../src/labels/label-render.pool.js';
import { createTestApi, type TestApi } from './support/api.js';
import { pdfPages } from './support/barcode-decode.js';
import { DIALECTS } from './support/databases.js';
import { makeLot } from './support/factories.js';

// Labels are drawn in worker threads of a bounded pool; the request thread keeps answering.
for (const dialect of DIALECTS) {
  describe(`${dialect}: labels drawn in worker threads`, () => {
    let api: TestApi;
    let pool: LabelRenderPool;
    let lot: string;
    beforeAll(async () => {
      pool = new LabelRenderPool({ workers: 1, queue: 1 });
      api = await createTestApi(dialect, { labelRenderer: pool });
      lot = (await makeLot(api.ctx)).lot.code;
    });
    afterAll(async () => {
      await api.close();
      await pool.close();
    });

    // A code given n times prints n labels.
    const print = (n: number, extra: Record<string, unknown> = {}) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/labels',
        headers: { authorization: `Bearer ${api.keys.viewer}` },
        payload: { codes: Array.from({ length: n }, () => lot), media: 'tape-62x29', ...extra },
      });

    it('answers a 5,000-label PDF drawn by a worker thread, one page per label', async () => {
      const res = await print(5000);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdfPages(res.rawPayload).count).toBe(5000);
      expect(pool.stats()).toEqual({ workers: 1, running: 0, queued: 0 });
    });

    it('answers a resolve while a big render is still running', async () => {
      let rendered = false;
      const render = print(2000).then((res) => {
        rendered = true;
        return res;
      });
      while (pool.stats().running === 0) await nextTurn();
      const resolved = await api.call('GET', `/api/v1/resolve?q=${lot}`, undefined, 'viewer');
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ kind: 'lot', code: lot });
      expect(rendered).toBe(false);
      expect(pool.stats().running).toBe(1);
      const res = await render;
      expect(res.statusCode).toBe(200);
      expect(pdfPages(res.rawPayload).count).toBe(2000);
    });

    it('answers 503 with Retry-After beyond its workers and queue, and renders again after', async () => {
      const answers = await Promise.all([print(500), print(500), print(500)]);
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses).toEqual([200, 200, 503]);
      const busy = answers.find((a) => a.statusCode === 503)!;
      expect(busy.headers['retry-after']).toBe('5');
      expect(busy.json().error).toMatchObject({ code: 'busy' });
      expect(busy.json().error.message).toMatch(
        /drawing as many labels as it can \(1 running, 1 waiting\): try again/,
      );
      for (const ok of answers.filter((a) => a.statusCode === 200))
        expect(pdfPages(ok.rawPayload).count).toBe(500);
      expect(pool.stats()).toEqual({ workers: 1, running: 0, queued: 0 });
      expect((await print(2)).statusCode).toBe(200);
    });

    it('answers a label the worker cannot lay out with 400 naming the field, and stays usable', async () => {
      const res = await print(3, { media: 'tape-12x48', symbology: 'code128' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'validation_error', field: 'symbology' });
      expect(res.json().error.message).toMatch(/12 mm tape, cut at 48 mm \(Brother TZe\) has/);
      const zpl = await print(2, { format: 'zpl' });
      expect(zpl.statusCode).toBe(200);
      expect(zpl.body.match(/\^XA/g)).toHaveLength(2);
      expect(pool.stats()).toMatchObject({ running: 0, queued: 0 });
    });
  });
}

const CODE = newCode();

describe('label render pool', () => {
  const job = (n: number): RenderJob => ({
    format: 'pdf',
    template: defaultTemplate('tape-62x29'),
    labels: Array.from({ length: n }, () => ({ code: CODE, shortCode: 'x', url: `u/${CODE}` })),
  });

  it('stops the worker of a stream its reader gave up, and draws the next job in a new one', async () => {
    const pool = new LabelRenderPool({ workers: 1, queue: 0 });
    try {
      const stream = await pool.render(job(1000));
      expect(pool.stats()).toEqual({ workers: 1, running: 1, queued: 0 });
      stream.destroy();
      expect(pool.stats()).toEqual({ workers: 0, running: 0, queued: 0 });
      const next = Buffer.concat(await (await pool.render(job(2))).toArray());
      expect(pdfPages(next).count).toBe(2);
      expect(pool.stats()).toEqual({ workers: 1, running: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  });
});
