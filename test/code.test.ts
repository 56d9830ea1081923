import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALPHABET,
  CODE_LENGTH,
  MIN_PREFIX_LENGTH,
  SHORT_CODE_LENGTH,
  codeFromUuid,
  isCanonicalCode,
  newCode,
  parseCode,
  parseCodeOrPrefix,
  prefixUpperBound,
  shortCode,
  uuidFromCode,
} from '../src/domain/code.js';
import { ValidationError } from '../src/domain/errors.js';

/** The alphabet as DESIGN.md writes it (lowercase Crockford base32). */
const SPEC_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CODE_RE = /^[0-9a-f][0-9a-hjkmnp-tv-z]{12}[0-9a-f][0-9a-hjkmnp-tv-z]{12}$/;
/**
 * A code of a version-4 UUID with variant 10xx. In each 64-bit half the first character holds
 * bits 0-3 and character k (1..12) bits 5k-1..5k+3. The version nibble (bits 48-51) is the last
 * bit of character 9 (must be 0) and the top three bits of character 10 (must be 100: g h j k);
 * the variant (bits 64-65) is the top two bits of character 13 (must be 10: 8 9 a b).
 */
const V4_CODE_RE =
  /^[0-9a-f][0-9a-hjkmnp-tv-z]{8}[02468acegjmprtwy][ghjk][0-9a-hjkmnp-tv-z]{2}[89ab][0-9a-hjkmnp-tv-z]{12}$/;

/** Independent encoder straight from the spec, with BigInt: the oracle for codeFromUuid. */
function referenceCode(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  let out = '';
  for (const half of [hex.slice(0, 16), hex.slice(16)]) {
    const v = BigInt(`0x${half}`);
    out += SPEC_ALPHABET[Number(v >> 60n)];
    for (let i = 11; i >= 0; i--) out += SPEC_ALPHABET[Number((v >> BigInt(5 * i)) & 31n)];
  }
  return out;
}

function uuidOfHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const bytes16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const uuidFromBytes = bytes16.map((b) => uuidOfHex(Buffer.from(b).toString('hex')));
/** Arbitrary 128-bit values, plus the edges that fast-check's byte arrays reach rarely. */
const anyUuid = fc.oneof(
  fc.uuid(),
  uuidFromBytes,
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '7fffffff-ffff-ffff-8000-000000000000',
    '80000000-0000-0000-7fff-ffffffffffff',
  ),
);
const anyCode = anyUuid.map(codeFromUuid);
/** Codes rich in 0 and 1, so the alias forms have something to replace. */
const zeroOneCode = fc
  .array(fc.constantFrom('0', '1'), { minLength: 24, maxLength: 24 })
  .chain((rest) =>
    fc
      .tuple(fc.constantFrom('0', '1', 'a', 'f'), fc.constantFrom('0', '1', '8', 'b'))
      .map(([a, b]) => a + rest.slice(0, 12).join('') + b + rest.slice(12).join('')),
  );

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('codes: alphabet and known vectors', () => {
  it('uses the alphabet of the spec', () => {
    expect(ALPHABET).toBe(SPEC_ALPHABET);
    expect(CODE_LENGTH).toBe(26);
    expect(SHORT_CODE_LENGTH).toBe(8);
    expect(MIN_PREFIX_LENGTH).toBe(4);
  });

  // Worked out by hand: each half is 4 bits, then twelve groups of 5 bits.
  const vectors: [string, string][] = [
    ['00000000-0000-0000-0000-000000000000', '0'.repeat(26)],
    ['ffffffff-ffff-ffff-ffff-ffffffffffff', 'fzzzzzzzzzzzz'.repeat(2)],
    // 0x0123456789abcdef: 0 | 00010 01000 11010 00101 01100 11110 00100 11010 10111 10011 01111 01111
    ['01234567-89ab-cdef-0123-456789abcdef', '028t5cy4tqkff'.repeat(2)],
    // version nibble 4 = bit 14 of the last 60 bits (top bit of group 10 → g); variant 8 → '8'
    ['00000000-0000-4000-8000-000000000000', '0000000000g00' + '8000000000000'],
    // 0xffffffffffff4fff: groups 9 and 10 are 11110 (y) and 10011 (k); 0xbfff… → b then z's
    ['ffffffff-ffff-4fff-bfff-ffffffffffff', 'fzzzzzzzzykzz' + 'bzzzzzzzzzzzz'],
    // 0x8000000000000001 and 0x000000000000001f
    ['80000000-0000-0001-0000-00000000001f', '8000000000001' + '000000000000z'],
  ];
  it.each(vectors)('%s ↔ %s', (uuid, code) => {
    expect(codeFromUuid(uuid)).toBe(code);
    expect(uuidFromCode(code)).toBe(uuid);
    expect(referenceCode(uuid)).toBe(code);
    expect(parseCode(uuid)).toBe(code);
    expect(parseCode(code.toUpperCase())).toBe(code);
  });

  it('newCode takes its UUID from the injected source', () => {
    expect(newCode(() => '00000000-0000-4000-8000-000000000000')).toBe(
      '0000000000g008000000000000',
    );
    expect(shortCode('0000000000g008000000000000')).toBe('00000000');
  });
});

describe('codes: round trip code ↔ UUID (property)', () => {
  it('encodes every 128-bit value as the spec says and decodes it back', () => {
    fc.assert(
      fc.property(anyUuid, (uuid) => {
        const code = codeFromUuid(uuid);
        expect(code).toBe(referenceCode(uuid));
        expect(code).toMatch(CODE_RE);
        expect(isCanonicalCode(code)).toBe(true);
        expect(uuidFromCode(code)).toBe(uuid.toLowerCase());
        expect(shortCode(code)).toBe(code.slice(0, 8));
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts uppercase UUIDs the same', () => {
    fc.assert(
      fc.property(anyUuid, (uuid) => {
        expect(codeFromUuid(uuid.toUpperCase())).toBe(codeFromUuid(uuid));
      }),
    );
  });

  it('every canonical code is a UUID and comes back unchanged', () => {
    const canonical = fc
      .tuple(
        fc.constantFrom(...SPEC_ALPHABET.slice(0, 16)),
        fc.array(fc.constantFrom(...SPEC_ALPHABET), { minLength: 12, maxLength: 12 }),
        fc.constantFrom(...SPEC_ALPHABET.slice(0, 16)),
        fc.array(fc.constantFrom(...SPEC_ALPHABET), { minLength: 12, maxLength: 12 }),
      )
      .map(([a, b, c, d]) => a + b.join('') + c + d.join(''));
    fc.assert(
      fc.property(canonical, (code) => {
        const uuid = uuidFromCode(code);
        expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(codeFromUuid(uuid)).toBe(code);
      }),
      { numRuns: 5000 },
    );
  });

  it('sorts codes in the order of their 128-bit values (what prefix ranges rely on)', () => {
    fc.assert(
      fc.property(anyUuid, anyUuid, (a, b) => {
        const ca = codeFromUuid(a);
        const cb = codeFromUuid(b);
        const byCode = ca < cb ? -1 : ca > cb ? 1 : 0;
        // Lowercase hex compares byte-wise like the numbers it writes.
        const x = a.toLowerCase();
        const y = b.toLowerCase();
        expect(byCode).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('codes: newCode', () => {
  it('a million new codes are distinct, canonical and name version-4 UUIDs', () => {
    const n = 1_000_000;
    const seen = new Set<string>();
    let bad = 0;
    let example = '';
    for (let i = 0; i < n; i++) {
      const code = newCode();
      // Length 26, the alphabet, first char of each half in 0-9a-f, version 4, variant 10xx.
      if (!V4_CODE_RE.test(code)) {
        bad++;
        example ||= code;
      }
      seen.add(code);
    }
    expect({ bad, example }).toEqual({ bad: 0, example: '' });
    expect(seen.size).toBe(n);
    // Cross-check the bit-level pattern against the decoded UUIDs on a sample.
    for (let i = 0; i < 1000; i++) {
      const code = newCode();
      const uuid = uuidFromCode(code);
      expect(uuid[14]).toBe('4');
      expect('89ab').toContain(uuid[19]);
      expect(V4_CODE_RE.test(code)).toBe(true);
    }
  });

  it('the v4 pattern rejects codes of other versions and variants', () => {
    expect(V4_CODE_RE.test(codeFromUuid('00000000-0000-4000-8000-000000000000'))).toBe(true);
    expect(V4_CODE_RE.test(codeFromUuid('ffffffff-ffff-4fff-bfff-ffffffffffff'))).toBe(true);
    expect(V4_CODE_RE.test(codeFromUuid('00000000-0000-1000-8000-000000000000'))).toBe(false);
    expect(V4_CODE_RE.test(codeFromUuid('00000000-0000-5000-8000-000000000000'))).toBe(false);
    expect(V4_CODE_RE.test(codeFromUuid('00000000-0000-4000-c000-000000000000'))).toBe(false);
    expect(V4_CODE_RE.test(codeFromUuid('00000000-0000-4000-7000-000000000000'))).toBe(false);
  });
});

describe('codes: forgiving input (property)', () => {
  const ws = fc.array(fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0'), { maxLength: 4 });

  function expectCode(text: string, code: string) {
    expect(parseCodeOrPrefix(text, 'q')).toEqual({ type: 'code', code });
    expect(parseCode(text)).toBe(code);
  }

  it('the canonical code itself', () => {
    fc.assert(fc.property(anyCode, (code) => expectCode(code, code)));
  });

  it('upper case and surrounding whitespace', () => {
    fc.assert(
      fc.property(anyCode, ws, ws, fc.boolean(), (code, before, after, upper) => {
        expectCode(before.join('') + (upper ? code.toUpperCase() : code) + after.join(''), code);
      }),
    );
  });

  it('hyphens and spaces inside', () => {
    const separators = fc.array(fc.constantFrom('', '', '', '-', ' ', '--', ' - '), {
      minLength: 25,
      maxLength: 25,
    });
    fc.assert(
      fc.property(anyCode, separators, (code, seps) => {
        const text = [...code].map((c, i) => c + (seps[i] ?? '')).join('');
        expectCode(text, code);
      }),
    );
    const code = codeFromUuid('01234567-89ab-cdef-0123-456789abcdef');
    expectCode('028t5-cy4tq-kff02-8t5cy-4tqkf-f', code);
    expectCode('028T 5CY4 TQKF F028 T5CY 4TQK FF', code);
  });

  it("Crockford's aliases: i and l read as 1, o as 0", () => {
    const choices = fc.array(fc.nat(4), { minLength: 26, maxLength: 26 });
    fc.assert(
      fc.property(fc.oneof(anyCode, zeroOneCode), choices, (code, pick) => {
        const text = [...code]
          .map((c, i) =>
            c === '1'
              ? ['1', 'i', 'l', 'I', 'L'][pick[i]!]!
              : c === '0'
                ? ['0', 'o', 'O', '0', 'o'][pick[i]!]!
                : c,
          )
          .join('');
        expectCode(text, code);
      }),
      { numRuns: 1000 },
    );
    expectCode('ILIL'.repeat(6) + 'oO', '1'.repeat(24) + '00');
  });

  it('the canonical UUID form: any case, braces, urn:uuid:', () => {
    fc.assert(
      fc.property(anyUuid, ws, ws, (uuid, before, after) => {
        const code = codeFromUuid(uuid);
        const lower = uuid.toLowerCase();
        for (const form of [
          lower,
          lower.toUpperCase(),
          `{${lower}}`,
          `{${lower.toUpperCase()}}`,
          `urn:uuid:${lower}`,
          `URN:UUID:${lower.toUpperCase()}`,
          before.join('') + lower + after.join(''),
        ]) {
          expectCode(form, code);
        }
      }),
    );
  });

  it('URLs ending in /c/<code>, with query string, fragment or trailing slash', () => {
    const base = fc.constantFrom(
      'https://tracelot.example.com',
      'http://localhost:3000',
      'https://example.org/tracelot/app',
      'tracelot.example.com',
    );
    const tail = fc.constantFrom('', '/', '?from=label', '/?a=1&b=/x', '#top', '?x=1#y/z', '//');
    fc.assert(
      fc.property(anyCode, base, tail, fc.boolean(), (code, b, t, upper) => {
        expectCode(`${b}/c/${upper ? code.toUpperCase() : code}${t}`, code);
      }),
    );
  });

  it("other systems' links ending in …/I<code>", () => {
    const base = fc.constantFrom(
      'https://inventree.example.com/i',
      'http://inv.local/stock/item',
      'https://x.example',
    );
    fc.assert(
      fc.property(anyCode, base, fc.constantFrom('', '?q=1', '/'), (code, b, t) => {
        expectCode(`${b}/I${code}${t}`, code);
        expectCode(`${b}/I${code.toUpperCase()}${t}`, code);
      }),
    );
  });

  it('all of it at once', () => {
    fc.assert(
      fc.property(zeroOneCode, ws, (code, around) => {
        const messy = code
          .toUpperCase()
          .replace(/1/g, 'l')
          .replace(/0/g, 'O')
          .replace(/(.{5})/g, '$1-');
        expectCode(around.join('') + messy + around.join(''), code);
      }),
    );
  });

  it('prefixes of 4–25 characters, in any of the forgiving forms', () => {
    fc.assert(
      fc.property(anyCode, fc.integer({ min: 4, max: 25 }), fc.boolean(), (code, n, upper) => {
        const prefix = code.slice(0, n);
        const typed = (upper ? prefix.toUpperCase() : prefix).replace(/(.{4})/g, '$1 ');
        expect(parseCodeOrPrefix(`  ${typed} `, 'q')).toEqual({ type: 'prefix', prefix });
      }),
    );
    expect(parseCodeOrPrefix('C0FF-EE0O', 'q')).toEqual({ type: 'prefix', prefix: 'c0ffee00' });
  });
});

describe('codes: bad input', () => {
  it('too short: fewer than 4 characters after normalising', () => {
    for (const text of ['a', 'ab', 'abc', 'A-B-C', ' ab c ', '0o1']) {
      const error = validationError(() => parseCodeOrPrefix(text, 'q'));
      expect(error.field).toBe('q');
      expect(error.message).toMatch(/^q: .*at least 4 characters/);
    }
    for (const text of ['', '   ', '---']) {
      const error = validationError(() => parseCodeOrPrefix(text, 'q'));
      expect(error.field).toBe('q');
      expect(error.message).toMatch(/^q: .+/);
    }
  });

  it('invalid characters name the character', () => {
    const cases: [string, string][] = [
      ['abcu', 'u'],
      ['U0000000', 'u'],
      ['ab!d', '!'],
      ['abcé', 'é'],
      ['0000000000000000000000000é', 'é'],
      ['12_4', '_'],
      ['12.4', '.'],
      ['ab\u0000c', '\u0000'],
    ];
    for (const [text, bad] of cases) {
      const error = validationError(() => parseCodeOrPrefix(text, 'q'));
      expect(error.field).toBe('q');
      expect(error.message).toContain(`'${bad}'`);
    }
  });

  it('27 or more characters', () => {
    const code = codeFromUuid('01234567-89ab-cdef-0123-456789abcdef');
    for (const text of [
      '0'.repeat(27),
      '0'.repeat(40),
      `${code}0`,
      `l${code}`,
      `${code}-${code}`,
    ]) {
      const error = validationError(() => parseCodeOrPrefix(text, 'q'));
      expect(error.field).toBe('q');
      expect(error.message).toMatch(/26 characters expected/);
    }
  });

  it('the first character of either half must be 0-9 or a-f', () => {
    const cases: [string, number][] = [
      ['g' + '0'.repeat(25), 1],
      ['Z' + '0'.repeat(25), 1],
      ['g000', 1],
      ['0'.repeat(13) + 'g' + '0'.repeat(12), 14],
      ['0'.repeat(13) + 'z' + '0'.repeat(12), 14],
      ['0'.repeat(13) + 'h', 14],
    ];
    for (const [text, position] of cases) {
      const error = validationError(() => parseCodeOrPrefix(text, 'q'));
      expect(error.field).toBe('q');
      expect(error.message).toContain(`character ${position} must be one of 0-9, a-f`);
    }
    // The aliases count as digits there.
    expect(parseCode('i' + '0'.repeat(12) + 'L' + '0'.repeat(12))).toBe(
      '1' + '0'.repeat(12) + '1' + '0'.repeat(12),
    );
  });

  it('names the field it was given, `code` by default', () => {
    expect(validationError(() => parseCode('abc')).field).toBe('code');
    expect(validationError(() => parseCode('abc', 'items.3.part')).field).toBe('items.3.part');
    expect(validationError(() => parseCode('abc', 'items.3.part')).message).toMatch(
      /^items\.3\.part: /,
    );
  });

  it('parseCode wants a full code, not a prefix', () => {
    const error = validationError(() => parseCode('0123abcd', 'part'));
    expect(error.field).toBe('part');
    expect(error.message).toMatch(/'0123abcd' is not a full code: 26 characters expected, got 8/);
  });

  it('isCanonicalCode accepts only the canonical form', () => {
    const code = codeFromUuid('01234567-89ab-cdef-0123-456789abcdef');
    expect(isCanonicalCode(code)).toBe(true);
    for (const text of [
      code.toUpperCase(),
      code.replace(/0/g, 'o'),
      code.slice(1),
      `${code}0`,
      'g' + code.slice(1),
      code.slice(0, 13) + 'g' + code.slice(14),
      code.slice(0, 25) + 'u',
      code.slice(0, 25) + 'é',
      ` ${code.slice(1)}`,
    ]) {
      expect({ text, ok: isCanonicalCode(text) }).toEqual({ text, ok: false });
    }
  });
});

describe('codes: prefixUpperBound', () => {
  it('raises the last character to the next one of the alphabet', () => {
    expect(prefixUpperBound('abc0')).toBe('abc1');
    expect(prefixUpperBound('abc9')).toBe('abca');
    expect(prefixUpperBound('abch')).toBe('abcj');
    expect(prefixUpperBound('abck')).toBe('abcm');
    expect(prefixUpperBound('abcn')).toBe('abcp');
    expect(prefixUpperBound('abct')).toBe('abcv');
    expect(prefixUpperBound('abcz')).toBe('abc~');
    expect(prefixUpperBound('fzzzzzzzzzzzzfzzzzzzzzzzz')).toBe('fzzzzzzzzzzzzfzzzzzzzzzz~');
  });

  it('[prefix, bound) holds exactly the codes that start with the prefix (property)', () => {
    const prefix = fc
      .array(fc.constantFrom(...SPEC_ALPHABET), { minLength: 4, maxLength: 25 })
      .map((c) => c.join(''));
    const tail = fc
      .array(fc.constantFrom(...SPEC_ALPHABET), { minLength: 26, maxLength: 26 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(prefix, tail, fc.nat(25), (p, t, keep) => {
        const upper = prefixUpperBound(p);
        // Codes that share 0..all characters with the prefix, then go their own way.
        const candidates = [
          (p + t).slice(0, 26),
          (p.slice(0, Math.min(keep, p.length)) + t).slice(0, 26),
        ];
        for (const code of candidates) {
          const inRange = code >= p && code < upper;
          expect(inRange).toBe(code.startsWith(p));
        }
      }),
      { numRuns: 5000 },
    );
  });
});
