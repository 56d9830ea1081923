import { describe, expect, it } from 'vitest';
import { linesOf } from '../src/sync/bundle.js';

async function collect(chunks: (Buffer | string)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of linesOf(chunks)) out.push(line);
  return out;
}

describe('the lines of a bundle as its bytes come', () => {
  it('splits at newlines across chunks, joining a character cut between two', async () => {
    const text = '{"a":"Größe µ 東京"}\n{"b":2}\n\n{"c":"\u{1F600}"}\n';
    const bytes = Buffer.from(text);
    // Every cut point, so every multi-byte character is split somewhere.
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([
        '{"a":"Größe µ 東京"}',
        '{"b":2}',
        '',
        '{"c":"\u{1F600}"}',
      ]);
    }
    // One byte at a time.
    expect(await collect([...bytes].map((b) => Buffer.from([b])))).toHaveLength(4);
  });

  it('drops a \\r before a newline, and keeps a last line without one', async () => {
    expect(await collect(['a\r\nb\r\n', 'c'])).toEqual(['a', 'b', 'c']);
    expect(await collect([])).toEqual([]);
    expect(await collect(['\n'])).toEqual(['']);
  });

  it('reads a line of megabytes whole', async () => {
    const long = 'x'.repeat(3_000_000);
    const bytes = Buffer.from(`${long}\nend\n`);
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 65_536) chunks.push(bytes.subarray(i, i + 65_536));
    const lines = await collect(chunks);
    expect(lines.map((l) => l.length)).toEqual([3_000_000, 3]);
  });
});
