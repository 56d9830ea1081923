import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lanUrls } from '../src/server/lan-urls.js';
import { terminalQr } from '../src/server/terminal-qr.js';
import { decodeGrey } from './support/barcode-decode.js';

/** Paints half-block lines as a phone's camera sees them: each module 4×4 pixels. */
function paint(lines: string[]): { grey: Uint8Array; width: number; height: number } {
  const scale = 4;
  const columns = [...lines[0]!].length;
  const width = columns * scale;
  const height = lines.length * 2 * scale;
  const grey = new Uint8Array(width * height).fill(255);
  lines.forEach((line, row) =>
    [...line].forEach((char, column) => {
      const top = char === '\u2588' || char === '\u2580';
      const bottom = char === '\u2588' || char === '\u2584';
      for (let dy = 0; dy < 2 * scale; dy++) {
        if (!(dy < scale ? top : bottom)) continue;
        const y = row * 2 * scale + dy;
        grey.fill(0, y * width + column * scale, y * width + (column + 1) * scale);
      }
    }),
  );
  return { grey, width, height };
}

async function decodeLines(lines: string[]): Promise<string[]> {
  const { grey, width, height } = paint(lines);
  return (await decodeGrey(grey, width, height)).map((d) => d.text);
}

describe('the QR code printed in the terminal', () => {
  it('decodes to the URL it was drawn for', async () => {
    const url = 'http://192.168.1.20:8080';
    const lines = terminalQr(url, false);
    expect(new Set(lines.map((l) => [...l].length)).size).toBe(1);
    expect(await decodeLines(lines)).toEqual([url]);
  });

  it('forces black on white with colours, the same modules inside', () => {
    const plain = terminalQr('http://tracelot.example', false);
    const coloured = terminalQr('http://tracelot.example', true);
    expect(coloured.every((l) => l.startsWith('\x1b[30;47m') && l.endsWith('\x1b[0m'))).toBe(true);
    // Two quiet modules each side instead of four: the colours already frame it.
    expect(coloured.length).toBe(plain.length - 2);
  });
});

describe('LAN URLs', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    eth0: [
      { address: '192.168.1.20', family: 'IPv4', internal: false },
      { address: 'fe80::1', family: 'IPv6', internal: false },
    ],
    wlan0: [{ address: '10.0.0.7', family: 'IPv4', internal: false }],
  } as unknown as Parameters<typeof lanUrls>[2];

  it('lists every external IPv4 address when listening on all interfaces', () => {
    expect(lanUrls('0.0.0.0', 8080, interfaces)).toEqual([
      'http://192.168.1.20:8080',
      'http://10.0.0.7:8080',
    ]);
    expect(lanUrls('::', 80, interfaces)).toEqual(['http://192.168.1.20:80', 'http://10.0.0.7:80']);
  });

  it('is the address itself when given one, and none on loopback', () => {
    expect(lanUrls('192.168.1.20', 8080, interfaces)).toEqual(['http://192.168.1.20:8080']);
    expect(lanUrls('fd00::5', 8080, interfaces)).toEqual(['http://[fd00::5]:8080']);
    expect(lanUrls('127.0.0.1', 8080, interfaces)).toEqual([]);
    expect(lanUrls('localhost', 8080, interfaces)).toEqual([]);
  });
});

/** Starts `tracelot serve` and returns what it printed up to "Ready", then stops it. */
async function serveOutput(...args: string[]): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tracelot-phone-'));
  const server = spawn(
    process.execPath,
    [path.resolve('bin/tracelot.js'), 'serve', '--port', '0', '--data', dataDir, ...args],
    { env: { ...process.env, TRACELOT_DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready in')) resolve(output);
      };
      server.stdout.on('data', read);
      server.stderr.on('data', read);
      server.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
    });
  } finally {
    server.kill('SIGTERM');
  }
}

describe('tracelot serve', () => {
  it('prints a QR code of the public URL a phone opens, readable by a decoder', async () => {
    const output = await serveOutput('--host', '0.0.0.0', '--public-url', 'http://bench.lan:8080');
    expect(output).toContain('Open http://bench.lan:8080 on a phone by scanning:');
    // Not a terminal: no colour codes, the modules as drawn blocks.
    expect(output).not.toContain('\x1b[');
    const lines = output
      .split('\n')
      .filter((line) => line.length > 20 && /^[ \u2580\u2584\u2588]+$/.test(line));
    expect(await decodeLines(lines)).toEqual(['http://bench.lan:8080']);
  }, 30_000);

  it('on loopback says how to open it from a phone, without a QR code', async () => {
    const output = await serveOutput('--host', '127.0.0.1');
    expect(output).toContain('From a phone: tracelot serve --host 0.0.0.0');
    expect(output).not.toContain('\u2588');
  }, 30_000);
});
