import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALPHABET, codeFromUuid } from '../src/domain/code.js';
import { ValidationError } from '../src/domain/errors.js';
import {
  gs1Date,
  gs1ElementString,
  gs1HumanReadable,
  gtinCheckDigit,
  isValidGtin,
  normalizeGtin,
  parseGs1,
  udiElements,
  udiHumanReadable,
} from '../src/domain/scan/gs1.js';
import { recogniseScan } from '../src/domain/scan/scan.js';

const now = new Date('2026-11-26T12:00:00Z');
const at = { now };
/** (01) GTIN, (17) expiry, (10) lot: the fixed-length elements need no separator. */
const UDI = '0109506000134352' + '17270101' + '10ABC123';

describe('GTIN check digits', () => {
  // Published GTINs: Wikipedia's EAN-13 (4006381333931, 5901234123457), UPC-A (036000291452)
  // and EAN-8 (96385074) examples; GS1's example GTIN 9506000134352; GS1 US's example company
  // prefix 0614141 (0614141000005).
  it.each([
    ['4006381333931', 1],
    ['5901234123457', 7],
    ['036000291452', 2],
    ['96385074', 4],
    ['9506000134352', 2],
    ['0614141000005', 5],
    ['00012345600012', 2],
  ])('%s ends in %i', (gtin, digit) => {
    expect(gtinCheckDigit(gtin.slice(0, -1))).toBe(digit);
    expect(isValidGtin(gtin)).toBe(true);
    expect(normalizeGtin(gtin)).toBe(gtin.padStart(14, '0'));
  });

  it('rejects wrong check digits, lengths and characters with the reason', () => {
    expect(isValidGtin('9506000134353')).toBe(false);
    expect(isValidGtin('950600013435')).toBe(false); // 12 digits, wrong digit for a GTIN-12
    expect(isValidGtin('123456789')).toBe(false);
    expect(isValidGtin('95060001343a2')).toBe(false);
    expect(() => normalizeGtin('9506000134353')).toThrow(ValidationError);
    expect(() => normalizeGtin('9506000134353')).toThrow(
      'gtin: check digit is 3, expected 2 (9506000134352)',
    );
    expect(() => normalizeGtin('12345')).toThrow('must have 8, 12, 13 or 14 digits, not 5');
    expect(() => normalizeGtin('95O6000134352')).toThrow('digits only');
    expect(normalizeGtin(' 96385074 ')).toBe('00000096385074');
  });
});

describe('GS1 dates', () => {
  it('applies the century rule around the current year', () => {
    expect(gs1Date('760101', now)).toBe('2076-01-01'); // 50 years ahead: this century
    expect(gs1Date('770101', now)).toBe('1977-01-01'); // 51 ahead: the last one
    expect(gs1Date('000101', now)).toBe('2000-01-01');
    const later = new Date('2060-06-01T00:00:00Z');
    expect(gs1Date('100101', later)).toBe('2110-01-01'); // 50 behind: the next century
    expect(gs1Date('110101', later)).toBe('2011-01-01');
  });

  it('reads day 00 as the last day of the month', () => {
    expect(gs1Date('240200', now)).toBe('2024-02-29');
    expect(gs1Date('250200', now)).toBe('2025-02-28');
    expect(gs1Date('271200', now)).toBe('2027-12-31');
    expect(gs1Date('270400', now)).toBe('2027-04-30');
  });

  it('rejects impossible dates', () => {
    expect(() => gs1Date('271301', now)).toThrow('no month 13');
    expect(() => gs1Date('250229', now)).toThrow('month 2 has no day 29');
    expect(() => gs1Date('2701', now)).toThrow('not a date YYMMDD');
  });
});

describe('parseGs1', () => {
  const udi = {
    elements: [
      { ai: '01', value: '09506000134352' },
      { ai: '17', value: '270101' },
      { ai: '10', value: 'ABC123' },
      { ai: '21', value: 'XYZ' },
    ],
    gtin: '09506000134352',
    expiry: '2027-01-01',
    lot: 'ABC123',
    serial: 'XYZ',
  };

  it.each([
    ['GS', `${UDI}\x1d21XYZ`],
    ['symbology ]d2 (DataMatrix)', `]d2${UDI}\x1d21XYZ`],
    ['symbology ]Q3 (QR)', `]Q3${UDI}\x1d21XYZ`],
    ['symbology ]C1 (GS1-128)', `]C1${UDI}\x1d21XYZ`],
    ['symbology ]e0 (DataBar)', `]e0${UDI}\x1d21XYZ`],
    ['symbology ]J1 (GS1 DotCode)', `]J1${UDI}\x1d21XYZ`],
    ['leading FNC1 as GS', `\x1d${UDI}\x1d21XYZ\r\n`],
    ['<GS>', `${UDI}<GS>21XYZ`],
    ['{GS}', `${UDI}{GS}21XYZ`],
    ['^] (Ctrl-])', `${UDI}^]21XYZ`],
    ['␝', `${UDI}␝21XYZ`],
    ['|', `${UDI}|21XYZ`],
    ['\\x1d written out', `${UDI}\\x1d21XYZ`],
    ['brackets', '(01)09506000134352(17)270101(10)ABC123(21)XYZ'],
    ['an ISO/IEC 15434 format-05 envelope', `[)>\x1e05\x1d${UDI}\x1d21XYZ\x1e\x04`],
  ])('reads FNC1 given as %s', (_how, text) => {
    expect(parseGs1(text, at)).toEqual(udi);
  });

  it('reads a variable element after a fixed one without a separator', () => {
    expect(parseGs1('(01)09506000134352(10)A(B)C(21)1', at)?.lot).toBe('A(B)C');
    expect(parseGs1('01095060001343521110010010ABC\x1d21S1', at)).toMatchObject({
      productionDate: '2010-01-31',
      lot: 'ABC',
      serial: 'S1',
    });
  });

  it('reads bare digits only when they start with a valid (01) GTIN and parse completely', () => {
    expect(parseGs1('0109506000134352', at)?.gtin).toBe('09506000134352');
    expect(parseGs1('01095060001343521727010110LOT7', at)).toMatchObject({ lot: 'LOT7' });
    expect(parseGs1('0109506000134353', at)).toBeNull(); // wrong check digit
    expect(parseGs1('010950600013435217271301', at)).toBeNull(); // month 13
    expect(parseGs1('01095060001343522312', at)).toBeNull(); // no AI 23
    expect(parseGs1('9506000134352', at)).toBeNull(); // a GTIN without its AI
    expect(parseGs1('12345678', at)).toBeNull();
    expect(parseGs1('hello', at)).toBeNull();
    expect(parseGs1('', at)).toBeNull();
  });

  it('never takes a Tracelot code or its prefixes for GS1', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), (uuid, upper) => {
        let code = codeFromUuid(uuid);
        if (upper) code = code.toUpperCase();
        for (let n = 4; n <= code.length; n++) {
          expect(parseGs1(code.slice(0, n), at)).toBeNull();
          expect(recogniseScan(code.slice(0, n), at)).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
    // Even a code whose first 16 characters read as (01) and a valid GTIN, and the rest as a lot.
    const lookalike = '0109506000134352' + '10abcdefgh';
    expect(lookalike).toHaveLength(26);
    expect([...lookalike].every((c) => ALPHABET.includes(c))).toBe(true);
    expect(parseGs1(lookalike, at)).toBeNull();
  });

  it.each([
    [']d20109506000134353', 'gs1 (01): GTIN check digit is 3, expected 2'],
    ['(01)09506000134352(17)271301', 'gs1 (17): 271301 has no month 13'],
    ['(01)09506000134352(17)270230', 'month 2 has no day 30'],
    ['(01)09506000134352(23)ABC', "application identifier (23…) is not in GS1's table"],
    [']d2019950600013435', 'GTIN must have 14 characters'],
    ['0109506000134352\x1d10' + 'L'.repeat(21), 'BATCH/LOT must have 1 to 20 characters, not 21'],
    ['0109506000134352\x1d10A\x1d10B', 'gs1 (10): appears twice with different values'],
    ['0109506000134352\x1d10A~B', 'outside GS1 character set 82'],
    [']d2', 'must start with an application identifier'],
    ['(01)0950600013435(10)A', 'GTIN must have 14 characters'],
    ['(01)09506000134352(7003)2701011261', 'not a time HHMM'],
  ])('rejects malformed GS1 %j', (text, reason) => {
    expect(() => parseGs1(text, at)).toThrow(ValidationError);
    expect(() => parseGs1(text, at)).toThrow(reason);
  });

  it("reads GS1's own example with an AI Tracelot does not use (99), kept as an element", () => {
    for (const text of [
      ']d2011231231231233310ABC123<GS>99TESTING',
      ']d2011231231231233310ABC123\x1d99TESTING',
      '(01)12312312312333(10)ABC123(99)TESTING',
    ])
      expect(parseGs1(text, at)).toEqual({
        elements: [
          { ai: '01', value: '12312312312333' },
          { ai: '10', value: 'ABC123' },
          { ai: '99', value: 'TESTING' },
        ],
        gtin: '12312312312333',
        lot: 'ABC123',
      });
  });

  // Examples of the GS1 General Specifications and the GS1 Syntax Engine's documentation:
  // measures, prices, a date range, a production time, a GRAI, a temperature, a GDTI.
  it.each([
    ['(01)09521234543213(3103)000123', '3103', '000123'],
    ['0109521234543213' + '3103000123' + '10ABC', '3103', '000123'],
    ['(01)12312312312333(3922)2299', '3922', '2299'],
    ['(01)12312312312333(3932)9782299', '3932', '9782299'],
    ['(01)12312312312333(7007)190101190131', '7007', '190101190131'],
    ['(01)12312312312333(7007)190101', '7007', '190101'],
    ['(01)12312312312333(8008)19010112', '8008', '19010112'],
    ['(8003)09506000134369ABC', '8003', '09506000134369ABC'],
    ['(00)106141411234567897(4330)001230-', '4330', '001230-'],
    ['(253)9506000134369XYZ', '253', '9506000134369XYZ'],
    ['(01)12312312312333(8200)HTTPS://EXAMPLE.COM/A', '8200', 'HTTPS://EXAMPLE.COM/A'],
    ['(01)12312312312333(427)AB', '427', 'AB'],
  ])('reads %s', (text, ai, value) => {
    expect(parseGs1(text, at)?.elements.find((e) => e.ai === ai)?.value).toBe(value);
  });

  it.each([
    ['(01)12312312312333(3103)00012', 'gs1 (3103): NET WEIGHT (kg) must have 6 characters'],
    ['(01)12312312312333(3103)00012A', 'NET WEIGHT (kg) must hold digits only'],
    ['(01)12312312312333(7007)1901011901', 'HARVEST DATE must have 12 characters, not 10'],
    ['(01)12312312312333(7007)190101191301', '191301 has no month 13'],
    ['(01)12312312312333(7006)190100', '190100 has no day 00'],
    ['(01)12312312312333(8008)19010125', '25 is not an hour'],
    ['(8003)19506000134369ABC', 'GRAI must start with 0'],
    ['(8003)09506000134368ABC', 'GRAI check digit is 8, expected 9'],
    ['(00)106141411234567897(4330)0012301', "MAX TEMP F. may end only in '-'"],
    ['(01)12312312312333(427)ABCD', 'ORIGIN SUBDIVISION must have 1 to 3 characters, not 4'],
    ['(01)12312312312333(4321)2', 'DANGEROUS GOODS must be 0 or 1'],
    ['(01)12312312312333(8010)AB$', 'CPID holds a character outside GS1 character set 39'],
    // 422 has a fixed length but no predefined one: FNC1 must end it when more data follows.
    [']d2010950600013435242227610ABC', 'ORIGIN must have 3 characters, not 8 (is an FNC1'],
    [']d20109506000134352\x1d10A\x1d2312', "application identifier (2312…) is not in GS1's table"],
  ])('rejects malformed %j', (text, reason) => {
    expect(() => parseGs1(text, at)).toThrow(ValidationError);
    expect(() => parseGs1(text, at)).toThrow(reason);
  });

  it('reads long input of predefined-length elements to the end', () => {
    expect(parseGs1(`]d2${'11270101'.repeat(25_000)}`, at)?.elements).toHaveLength(25_000);
    expect(() => parseGs1(`]d2${'11270101'.repeat(25_000)}112701\x1d`, at)).toThrow(
      'PROD DATE must have 6 characters, not 4',
    );
  });

  it('reads the other AIs of the table', () => {
    const data = parseGs1(
      '(00)106141411234567897(02)00012345600012(37)24(240)ADD-1(241)CPN-9(422)276(410)0614141000005(7003)2701011230(8004)ASSET-1',
      at,
    );
    expect(data?.elements.map((e) => e.ai)).toEqual([
      '00',
      '02',
      '37',
      '240',
      '241',
      '422',
      '410',
      '7003',
      '8004',
    ]);
    expect(data?.gtin).toBeUndefined();
  });
});

describe('the human-readable UDI', () => {
  it('writes the production date (11) as YYYY-MM-DD and leaves the rest as encoded', () => {
    const now = new Date('2026-12-05T00:00:00Z');
    expect(udiHumanReadable('(01)09506000134352(11)261205(17)270101(21)X1', now)).toBe(
      '(01)09506000134352(11)2026-12-05(17)270101(21)X1',
    );
    expect(udiHumanReadable('(01)09506000134352(21)110101', now)).toBe(
      '(01)09506000134352(21)110101',
    );
  });
});

describe('UDI elements', () => {
  const input = {
    gtin: '9506000134352',
    productionDate: '2026-03-01',
    expiry: '2029-02-28',
    lot: 'LOT-42',
    serial: 'SN/0001',
  };

  it('builds, prints and encodes the UDI, FNC1 only after variable elements not last', () => {
    const elements = udiElements(input);
    expect(gs1HumanReadable(elements)).toBe(
      '(01)09506000134352(11)260301(17)290228(10)LOT-42(21)SN/0001',
    );
    expect(gs1ElementString(elements)).toBe(
      '01095060001343521126030117290228' + '10LOT-42\x1d21SN/0001',
    );
    expect(gs1ElementString(elements, '|')).toBe(
      '01095060001343521126030117290228' + '10LOT-42|21SN/0001',
    );
    expect(gs1ElementString(udiElements({ gtin: '96385074', lot: 'A' }))).toBe(
      '010000009638507410A',
    );
  });

  it('round-trips udiElements → gs1ElementString → parseGs1', () => {
    const chars82 =
      '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
    const text82 = fc
      .array(fc.constantFrom(...chars82), { minLength: 1, maxLength: 20 })
      .map((a) => a.join(''));
    const date = fc
      .date({
        min: new Date('1977-01-01T00:00:00Z'),
        max: new Date('2076-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.option(date, { nil: undefined }),
        fc.option(date, { nil: undefined }),
        fc.option(text82, { nil: undefined }),
        fc.option(text82, { nil: undefined }),
        fc.constantFrom('\x1d', '<GS>', '{GS}', '␝'),
        (productionDate, expiry, lot, serial, separator) => {
          const udi = { gtin: '09506000134352', productionDate, expiry, lot, serial };
          const elements = udiElements(udi);
          const parsed = parseGs1(`]d2${gs1ElementString(elements, separator)}`, at);
          expect(parsed?.elements).toEqual(elements);
          expect(parsed).toMatchObject(
            Object.fromEntries(Object.entries(udi).filter(([, v]) => v !== undefined)),
          );
          expect(parseGs1(gs1HumanReadable(elements), at)?.elements).toEqual(elements);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    [{ lot: '' }, 'lot: must have 1 to 20 characters, not 0'],
    [{ serial: 'S'.repeat(21) }, 'serial: must have 1 to 20 characters, not 21'],
    [{ lot: 'LOT 1' }, 'lot: may hold only GS1 character set 82'],
    [{ serial: 'Ä1' }, 'serial: may hold only GS1 character set 82'],
    [{ expiry: '2027-02-30' }, 'expiry: must be a date YYYY-MM-DD'],
    [{ productionDate: '27-01-01' }, 'productionDate: must be a date YYYY-MM-DD'],
    [{ gtin: '9506000134353' }, 'gtin: check digit is 3, expected 2'],
  ])('rejects %j', (change, reason) => {
    expect(() => udiElements({ ...input, ...change })).toThrow(ValidationError);
    expect(() => udiElements({ ...input, ...change })).toThrow(reason);
  });
});
