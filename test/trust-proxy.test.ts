import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustProxy } from '../src/cli/arguments.js';
import { buildApp, type TrustProxy } from '../src/http/app.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { makeLot } from './support/factories.js';

// A client must not choose the host that labels and QR codes point to: X-Forwarded-* count only
// from proxies the operator named.
for (const dialect of DIALECTS) {
  describe(`${dialect}: forwarded headers`, () => {
    let api: TestApi;
    let code: string;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      code = (await makeLot(api.ctx)).lot.code;
    });
    afterAll(() => api.close());

    async function labelUrl(trust: TrustProxy | undefined): Promise<string> {
      const app = await buildApp({ ctx: api.ctx, trustProxy: trust });
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/labels',
        headers: {
          authorization: `Bearer ${api.keys.viewer}`,
          host: 'tracelot.local:8080',
          'x-forwarded-host': 'evil.example',
          'x-forwarded-proto': 'https',
        },
        payload: { codes: [code], media: 'thermal-2x1in', format: 'zpl' },
      });
      await app.close();
      expect(res.statusCode).toBe(200);
      return /\^FD[^^]*?(\w+:\/\/[^/]+)\/c\//.exec(res.body)![1]!;
    }

    it('by default the Host header counts, X-Forwarded-Host and -Proto do not', async () => {
      expect(await labelUrl(undefined)).toBe('http://tracelot.local:8080');
      expect(await labelUrl(false)).toBe('http://tracelot.local:8080');
    });

    it('a trusted proxy (any, or by its address) sets host and protocol', async () => {
      // app.inject comes from 127.0.0.1.
      expect(await labelUrl(true)).toBe('https://evil.example');
      // fastify cannot tell a proxy by a hop count alone: it counts for client addresses only.
      expect(await labelUrl(1)).toBe('http://tracelot.local:8080');
      expect(await labelUrl(['127.0.0.1'])).toBe('https://evil.example');
      expect(await labelUrl(['10.0.0.0/8'])).toBe('http://tracelot.local:8080');
    });
  });
}

describe('--trust-proxy / TRACELOT_TRUST_PROXY', () => {
  it('takes true, false, a hop count or addresses', () => {
    expect(trustProxy('true')).toBe(true);
    expect(trustProxy('FALSE')).toBe(false);
    expect(trustProxy('2')).toBe(2);
    expect(trustProxy('10.0.0.1, 192.168.0.0/16,::1')).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
    ]);
    expect(() => trustProxy('yes please')).toThrow(/true, false, a hop count/);
  });
});
