import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * ippeveprinter registers itself with the Avahi daemon at start and exits when there is none
 * (containers, CI). This library stands in for Avahi's client calls, so the test printer runs
 * anywhere — and never advertises itself on the network.
 */
const NO_DNSSD = `
static int dummy;
void *avahi_client_new(void *p, int f, void *cb, void *d, int *e) { (void)p; (void)f; (void)cb; (void)d; if (e) *e = 0; return &dummy; }
int avahi_client_errno(void *c) { (void)c; return 0; }
const char *avahi_client_get_host_name_fqdn(void *c) { (void)c; return "localhost"; }
void *avahi_entry_group_new(void *c, void *cb, void *d) { (void)c; (void)cb; (void)d; return &dummy; }
int avahi_entry_group_add_service_strlst() { return 0; }
int avahi_entry_group_add_service_subtype() { return 0; }
int avahi_entry_group_commit(void *g) { (void)g; return 0; }
int avahi_entry_group_free(void *g) { (void)g; return 0; }
`;

export function ippeveprinterPath(): string | undefined {
  for (const candidate of ['/usr/sbin/ippeveprinter', '/usr/bin/ippeveprinter'])
    if (existsSync(candidate)) return candidate;
  return undefined;
}

export interface IppPrinter {
  uri: string;
  /** The files of the jobs it received (kept by -k), oldest first. */
  documents(): Buffer[];
  close(): Promise<void>;
}

/** A local IPP Everywhere printer that takes PDFs: `ippeveprinter` on a free port. */
export async function startIppPrinter(name = 'TestPrinter'): Promise<IppPrinter> {
  const bin = ippeveprinterPath();
  if (!bin) throw new Error('ippeveprinter is not installed (Debian: cups-ipp-utils)');
  const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-ipp-'));
  const spool = path.join(dir, 'spool');
  execFileSync('mkdir', [spool]);
  writeFileSync(path.join(dir, 'nodnssd.c'), NO_DNSSD);
  execFileSync('gcc', [
    '-shared',
    '-fPIC',
    '-o',
    path.join(dir, 'nodnssd.so'),
    path.join(dir, 'nodnssd.c'),
  ]);
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    ['-d', spool, '-f', 'application/pdf', '-k', '-p', String(port), name],
    { env: { ...process.env, LD_PRELOAD: path.join(dir, 'nodnssd.so') }, stdio: 'ignore' },
  );
  await waitForPort(port, child);
  return {
    uri: `ipp://127.0.0.1:${port}/ipp/print`,
    documents: () =>
      readdirSync(spool)
        .filter((f) => f.endsWith('.pdf'))
        .sort()
        .map((f) => readFileSync(path.join(spool, f))),
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`ippeveprinter exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`ippeveprinter did not listen on ${port}`);
}
