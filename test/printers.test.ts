import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/audit/audit.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { pdfPages } from './support/barcode-decode.js';
import { DIALECTS } from './support/databases.js';
import { historyRows } from './support/history.js';
import { freePort, ippeveprinterPath, startIppPrinter } from './support/ipp-printer.js';
import { makeUnits } from './support/unit-factories.js';

const PUBLIC_URL = 'https://trace.example.com';

/** A stand-in for a Zebra's raw port: keeps what each connection sent. */
async function zplListener(port = 0) {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The labels of a ZPL stream, checked well formed: nothing but ^XA … ^XZ blocks, and in each the
 * QR symbol's field data (^BQ, input mode MA) with its ^FH escapes undone.
 */
function qrDataOfLabels(zpl: string): string[] {
  const blocks = zpl.match(/\^XA[\s\S]*?\^XZ/g) ?? [];
  expect(zpl.replace(/\^XA[\s\S]*?\^XZ/g, '').trim()).toBe('');
  return blocks.map((block) => {
    expect(block.match(/\^XA/g)).toHaveLength(1);
    const field = /\^BQN,2,\d+\^FH\^FDMA,([^^]*)\^FS/.exec(block);
    expect(field, block).not.toBeNull();
    return field![1]!.replace(/_([0-9A-F]{2})/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
  });
}

async function waitForJob(api: TestApi, code: string) {
  for (let i = 0; i < 400; i++) {
    const res = await api.call('GET', `/api/v1/print-jobs/${code}`);
    expect(res.status).toBe(200);
    if (res.body.status !== 'queued') return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`print job ${code} stayed queued`);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: printers and print jobs`, () => {
    let api: TestApi;
    let zebra: Awaited<ReturnType<typeof zplListener>>;
    beforeAll(async () => {
      api = await createTestApi(dialect, { publicUrl: PUBLIC_URL, printSender: { pollMs: 200 } });
      zebra = await zplListener();
      const template = await api.call('POST', '/api/v1/label-templates', {
        name: 'QR code',
        media: 'tape-62x29',
        symbology: 'qr',
        content: 'code',
        lines: [{ parts: ['shortCode'] }, { parts: [{ text: 'Unit ' }, 'buildSerial'] }],
      });
      expect(template.status).toBe(201);
    });
    afterAll(async () => {
      await api.close();
      await zebra.close();
    });

    it('adds printers for admins; a bad address or a taken name answers naming the field', async () => {
      const added = await api.call('POST', '/api/v1/printers', {
        name: 'Zebra',
        kind: 'zpl',
        address: `127.0.0.1:${zebra.port}`,
        dpi: 300,
      });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ name: 'Zebra', kind: 'zpl', dpi: 300, active: true });
      const site = await api.call('GET', '/api/v1/site');
      expect(added.body.siteId).toBe(site.body.id);

      const defaultPort = await api.call('POST', '/api/v1/printers', {
        name: 'Zebra 2',
        kind: 'zpl',
        address: ' 10.0.0.5 ',
      });
      expect(defaultPort.body.address).toBe('10.0.0.5:9100');
      expect(defaultPort.body.dpi).toBe(203);

      const refused: [Record<string, unknown>, number, string][] = [
        [{ name: 'Bad', kind: 'zpl', address: 'http://10.0.0.5/x' }, 400, 'address'],
        [{ name: 'Bad', kind: 'ipp', address: 'ipps://cups.local/printers/x' }, 400, 'address'],
        [{ name: 'zebra', kind: 'zpl', address: '10.0.0.6' }, 409, 'name'],
      ];
      for (const [body, status, field] of refused) {
        const res = await api.call('POST', '/api/v1/printers', body);
        expect(res.status).toBe(status);
        expect(res.body.error.field).toBe(field);
      }
      const byEditor = await api.call(
        'POST',
        '/api/v1/printers',
        { name: 'Mine', kind: 'zpl', address: '10.0.0.7' },
        'editor',
      );
      expect(byEditor.status).toBe(403);

      const off = await api.call('PATCH', '/api/v1/printers/Zebra 2', { active: false });
      expect(off.body.active).toBe(false);
      const listed = await api.call('GET', '/api/v1/printers?active=true', undefined, 'viewer');
      expect(listed.body.items.map((p: { name: string }) => p.name)).toEqual(['Zebra']);
      const toInactive = await api.call('POST', '/api/v1/print-jobs', {
        printer: 'Zebra 2',
        codes: [added.body.code],
      });
      expect(toInactive.status).toBe(400);
      expect(toInactive.body.error.field).toBe('printer');
    });

    it("prints a build's units to a ZPL printer: one ^XA…^XZ per label, each carrying its unit's code; a reprint is marked in the change log", async () => {
      const { build, units } = await makeUnits(api.ctx, 3);
      const before = zebra.received.length;
      const queued = await api.call('POST', '/api/v1/print-jobs', {
        printer: 'Zebra',
        template: 'QR code',
        build: build.code,
      });
      expect(queued.status).toBe(201);
      expect(queued.body).toMatchObject({ status: 'queued', labels: 3, reprint: false });
      expect(queued.body.objects).toEqual(units.map((u) => u.code));
      const sent = await waitForJob(api, queued.body.code);
      expect(sent).toMatchObject({ status: 'sent', attempts: 1, reason: null });
      expect(sent.sentAt).not.toBeNull();
      expect(zebra.received).toHaveLength(before + 1);
      const zpl = zebra.received.at(-1)!;
      expect(qrDataOfLabels(zpl)).toEqual(units.map((u) => u.code));
      // 300 dpi: a 62 mm wide tape is 732 dots.
      expect(zpl).toContain('^PW732');

      // The same unit again, twice, on the same printer: a reprint.
      const again = await api.call(
        'POST',
        '/api/v1/print-jobs',
        { printer: 'Zebra', template: 'QR code', codes: [units[0]!.code], copies: 2 },
        'viewer',
      );
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ labels: 2, copies: 2, reprint: true });
      expect((await waitForJob(api, again.body.code)).status).toBe('sent');
      expect(qrDataOfLabels(zebra.received.at(-1)!)).toEqual([units[0]!.code, units[0]!.code]);

      const history = await historyRows(api.ctx.db, units[0]!.code);
      const printed = history.filter((e) => e.type === 'printed');
      expect(printed).toHaveLength(2);
      expect(printed[0]).toMatchObject({
        actorName: queued.body.createdBy.name,
        data: { job: queued.body.code, printerName: 'Zebra', reprint: false, copies: 1 },
      });
      expect(printed[1]).toMatchObject({
        actorName: again.body.createdBy.name,
        data: { job: again.body.code, printerName: 'Zebra', reprint: true, copies: 2 },
      });
      expect(printed[1]!.actorName).not.toBe(printed[0]!.actorName);
      const other = await historyRows(api.ctx.db, units[1]!.code);
      expect(other.filter((e) => e.type === 'printed')).toHaveLength(1);
      const job = await historyRows(api.ctx.db, queued.body.code);
      expect(job.map((e) => e.type)).toEqual(['created', 'print_sent']);
    });

    it('a job to a closed port fails with the connection reason; retried once the printer listens, it is sent', async () => {
      const port = await freePort();
      await api.call('POST', '/api/v1/printers', {
        name: 'Offline',
        kind: 'zpl',
        address: `127.0.0.1:${port}`,
      });
      const { units } = await makeUnits(api.ctx, 2);
      const queued = await api.call('POST', '/api/v1/print-jobs', {
        printer: 'Offline',
        template: 'QR code',
        codes: units.map((u) => u.code),
      });
      const failed = await waitForJob(api, queued.body.code);
      expect(failed.status).toBe('failed');
      expect(failed.reason).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
      expect(failed.attempts).toBe(1);
      const listed = await api.call('GET', '/api/v1/print-jobs?status=failed&printer=Offline');
      expect(listed.body.items.map((j: { code: string }) => j.code)).toEqual([queued.body.code]);
      expect(listed.body.total).toBe(1);

      const printer = await zplListener(port);
      try {
        const retried = await api.call('POST', `/api/v1/print-jobs/${queued.body.code}/retry`);
        expect(retried.status).toBe(200);
        const sent = await waitForJob(api, queued.body.code);
        expect(sent).toMatchObject({ status: 'sent', attempts: 2, reason: null });
        expect(printer.received).toHaveLength(1);
        expect(qrDataOfLabels(printer.received[0]!)).toEqual(units.map((u) => u.code));
      } finally {
        await printer.close();
      }
      const twice = await api.call('POST', `/api/v1/print-jobs/${queued.body.code}/retry`);
      expect(twice.status).toBe(400);
      expect(twice.body.error.field).toBe('code');
      const job = await historyRows(api.ctx.db, queued.body.code);
      expect(job.map((e) => e.type)).toEqual([
        'created',
        'print_failed',
        'print_retried',
        'print_sent',
      ]);
      expect(job[1]!.data).toMatchObject({ reason: `connect ECONNREFUSED 127.0.0.1:${port}` });
      // Jobs, their outcomes and retries are records of the chain like any other change.
      const verified = await verifyLog(api.ctx);
      expect(verified.problems).toEqual([]);
      expect(verified.ok).toBe(true);
    });

    it.skipIf(!ippeveprinterPath())('sends a PDF to an IPP printer (ippeveprinter)', async () => {
      const ipp = await startIppPrinter();
      try {
        const added = await api.call('POST', '/api/v1/printers', {
          name: 'Office IPP',
          kind: 'ipp',
          address: ipp.uri,
        });
        expect(added.status).toBe(201);
        const { units } = await makeUnits(api.ctx, 2);
        const queued = await api.call('POST', '/api/v1/print-jobs', {
          printer: 'Office IPP',
          media: 'tape-62x29',
          codes: units.map((u) => u.code),
        });
        const sent = await waitForJob(api, queued.body.code);
        expect(sent).toMatchObject({ status: 'sent', reason: null });
        let documents = ipp.documents();
        for (let i = 0; i < 100 && documents.length === 0; i++) {
          await new Promise((r) => setTimeout(r, 50));
          documents = ipp.documents();
        }
        expect(documents).toHaveLength(1);
        expect(documents[0]!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdfPages(new Uint8Array(documents[0]!)).count).toBe(2);
      } finally {
        await ipp.close();
      }
    });

    it('an IPP printer that is not there fails with the connection reason', async () => {
      const port = await freePort();
      await api.call('POST', '/api/v1/printers', {
        name: 'Gone IPP',
        kind: 'ipp',
        address: `ipp://127.0.0.1:${port}/ipp/print`,
      });
      const { units } = await makeUnits(api.ctx, 1);
      const queued = await api.call('POST', '/api/v1/print-jobs', {
        printer: 'Gone IPP',
        codes: [units[0]!.code],
      });
      const failed = await waitForJob(api, queued.body.code);
      expect(failed.status).toBe('failed');
      expect(failed.reason).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    });
  });
}
