import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import { parseDistributorBarcode, showControlCharacters } from '../src/domain/scan/distributor.js';
import { recogniseScan } from '../src/domain/scan/scan.js';

// Real label strings. InvenTree's supplier barcode tests
// (src/backend/InvenTree/plugin/builtin/suppliers/test_supplier_barcodes.py) hold Digi-Key,
// Mouser, LCSC and TME strings read from bags (order numbers partly replaced by 1337).
const DIGI_KEY =
  '[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d' +
  '10K85781337\x1d11K1\x1d4LPH\x1dQ10\x1d11ZPICK\x1d12Z15221337\x1d13Z361337' +
  `\x1d20Z${'0'.repeat(175)}`;
// Newer Digi-Key labels: 30P holds the Digi-Key part number (InvenTree, same file).
const DIGI_KEY_30P =
  '[)>\x1e06\x1d30P296-LM358BIDDFRCT-ND\x1dK\x1d1K72991337\x1d' +
  '10K85781337\x1d11K1\x1d4LPH\x1dQ10\x1d11ZPICK\x1d12Z15221337\x1d13Z361337' +
  `\x1d20Z${'0'.repeat(175)}`;
// Digi-Key's own explained example (forum.digikey.com, "DigiKey Product Labels - Decoding
// DigiKey Barcodes"), as the page prints it: the control characters are lost.
const DIGI_KEY_FORUM =
  '[)>06PC1,C3,C5-71P86001067200830P732-8660-1-NDK1K8676178310K1046693009D1437' +
  `1T31751001143669511K14LCNQ111ZPICK12Z572861513Z99999920Z${'0'.repeat(88)}`;
const MOUSER =
  '[)>\x1e06\x1dKP0-1337\x1d14K011\x1d1PMC34063ADR\x1dQ3\x1d11K073121337\x1d4LMX\x1d1VTI\x1e\x04';
// Old Mouser labels: a stray '>' before the header, no RS, no trailer.
const MOUSER_OLD =
  '>[)>06\x1dK21421337\x1d14K033\x1d1PLDK320ADU33R\x1dQ32\x1d11K060931337\x1d4LCN\x1d1VSTMicro';
const LCSC =
  '{pbn:PICK2009291337,on:SO2009291337,pc:C312270,pm:ST-1-102-A01-T000-RS,qty:2,mc:,cc:1,pdi:34421807}';
// A newer LCSC bag with hp and wc (quoted in the PartsBox importer docs found on GitHub).
const LCSC_WC =
  '{pbn:PICK2311010075,on:GB2311011210,pc:C136648,pm:LMR16030SDDAR,qty:5,mc:10,cc:1,pdi:95387529,hp:0,wc:ZH}';
const TME_QR =
  'QTY:1 PN:WBP-302 PO:19361337/1 CPO:PO-2023-06-08-001337 MFR:WISHERENTERPRISE MPN:WBP-302 RoHS https://www.tme.eu/details/WBP-302';
const TME_DATAMATRIX = 'PWBP-302 1PMPNWBP-302 Q1 K19361337/1';
// Every EIGP 114 data identifier, as Ecia.Barcode.Parser's unit test builds it (no distributor).
const ECIA_ALL =
  '[)>\x1e06\x1dK11111\x1d3S22222\x1d4S3333\x1d11K444\x1d6D20240823\x1dPcustomer-part' +
  '\x1d1Psupplier-part\x1d4K5\x1dQ6666\x1d9D2248\x1d1TLOT\x1d4LUS\x1dS7777\x1d33PBin' +
  '\x1d13Q8 of 9\x1d2PAAA\x1d7Q10 lbs\x1d1Vmfg\x1dECompliant\x1e\x04';

const REAL = [
  DIGI_KEY,
  DIGI_KEY_30P,
  DIGI_KEY_FORUM,
  MOUSER,
  MOUSER_OLD,
  LCSC,
  LCSC_WC,
  TME_QR,
  TME_DATAMATRIX,
  'P1N4148-DIO 1P1N4148 Q100 4LCN K20551337/4',
  'PTPS7A0518PDBVRQ11PTPS7A0518PDBVRQ1Q254LMYK21071337/3',
  ECIA_ALL,
];

describe('ISO/IEC 15434 labels', () => {
  it('reads a Digi-Key label', () => {
    const scan = parseDistributorBarcode(DIGI_KEY)!;
    expect(scan).toMatchObject({
      format: 'iso15434',
      distributor: 'Digi-Key',
      supplierPartNumber: '296-LM358BIDDFRCT-ND',
      mpn: 'LM358BIDDFR',
      quantity: '10',
      orderNumber: '72991337',
      countryOfOrigin: 'PH',
    });
    expect(scan.customerPo).toBeUndefined(); // K is empty
    expect(scan.fields.map((f) => f.id)).toEqual([
      'P',
      '1P',
      'K',
      '1K',
      '10K',
      '11K',
      '4L',
      'Q',
      '11Z',
      '12Z',
      '13Z',
      '20Z',
    ]);
    expect(scan.fields.find((f) => f.id === '12Z')?.label).toBe('Digi-Key part ID');
    expect(scan.warnings).toEqual([expect.stringContaining('no end marker')]);
  });

  it('reads a Digi-Key label with 30P', () => {
    expect(parseDistributorBarcode(DIGI_KEY_30P)).toMatchObject({
      distributor: 'Digi-Key',
      supplierPartNumber: '296-LM358BIDDFRCT-ND',
      quantity: '10',
    });
  });

  it('splits a Digi-Key label whose separators were lost, and says it guessed', () => {
    const scan = parseDistributorBarcode(DIGI_KEY_FORUM)!;
    expect(scan).toMatchObject({
      distributor: 'Digi-Key',
      supplierPartNumber: '732-8660-1-ND',
      mpn: '860010672008',
      quantity: '1',
      lot: '317510011436695',
      dateCode: '1437',
      countryOfOrigin: 'CN',
      orderNumber: '86761783',
    });
    expect(scan.fields.find((f) => f.id === 'P')?.value).toBe('C1,C3,C5-7');
    expect(scan.fields.find((f) => f.id === '10K')?.value).toBe('104669300');
    expect(scan.warnings.join(' ')).toContain('separators between fields were lost');
    // The same label with its separators reads the same, without the guess.
    const withSeparators =
      '[)>\x1e06\x1dPC1,C3,C5-7\x1d1P860010672008\x1d30P732-8660-1-ND\x1dK\x1d1K86761783' +
      `\x1d10K104669300\x1d9D1437\x1d1T317510011436695\x1d11K1\x1d4LCN\x1dQ1\x1d11ZPICK` +
      `\x1d12Z5728615\x1d13Z999999\x1d20Z${'0'.repeat(88)}\x1e\x04`;
    const clean = parseDistributorBarcode(withSeparators)!;
    expect(clean.fields).toEqual(scan.fields);
    expect(clean.warnings).toEqual([]);
  });

  it('reads a Mouser label', () => {
    const scan = parseDistributorBarcode(MOUSER)!;
    expect(scan).toEqual({
      format: 'iso15434',
      distributor: 'Mouser',
      mpn: 'MC34063ADR',
      manufacturer: 'TI',
      quantity: '3',
      countryOfOrigin: 'MX',
      customerPo: 'P0-1337',
      lineItem: '011',
      fields: [
        { id: 'K', label: 'Customer PO number', value: 'P0-1337' },
        { id: '14K', label: 'Customer PO line', value: '011' },
        { id: '1P', label: 'Supplier part number (manufacturer part number)', value: 'MC34063ADR' },
        { id: 'Q', label: 'Quantity', value: '3' },
        { id: '11K', label: 'Packing list number', value: '073121337' },
        { id: '4L', label: 'Country of origin', value: 'MX' },
        { id: '1V', label: 'Manufacturer', value: 'TI' },
      ],
      warnings: [],
    });
  });

  it('reads an old Mouser label with a broken header', () => {
    expect(parseDistributorBarcode(MOUSER_OLD)).toMatchObject({
      distributor: 'Mouser',
      mpn: 'LDK320ADU33R',
      manufacturer: 'STMicro',
      quantity: '32',
      customerPo: '21421337',
    });
  });

  it('reads every EIGP 114 data identifier, with no distributor named', () => {
    const scan = parseDistributorBarcode(ECIA_ALL)!;
    expect(scan.distributor).toBeUndefined();
    expect(scan).toMatchObject({
      customerPo: '11111',
      mpn: 'supplier-part',
      quantity: '6666',
      dateCode: '2248',
      lot: 'LOT',
      countryOfOrigin: 'US',
      lineItem: '5',
      manufacturer: 'mfg',
    });
    expect(scan.fields).toHaveLength(19);
    expect(scan.fields.find((f) => f.id === '13Q')).toEqual({
      id: '13Q',
      label: 'Package count',
      value: '8 of 9',
    });
    expect(scan.warnings).toEqual([]);
  });

  const mouserFields = parseDistributorBarcode(MOUSER)!.fields;
  const typed = (rs: string, gs: string, eot: string) =>
    MOUSER.replaceAll('\x1e', rs).replaceAll('\x1d', gs).replaceAll('\x04', eot);

  it.each([
    ['{RS} {GS} {EOT}', typed('{RS}', '{GS}', '{EOT}')],
    ['<RS> <GS> <EOT>', typed('<RS>', '<GS>', '<EOT>')],
    ['[RS] [GS] [EOT]', typed('[RS]', '[GS]', '[EOT]')],
    ['^^ ^] ^D (Ctrl keys)', typed('^^', '^]', '^D')],
    ['␞ ␝ ␄ (control pictures)', typed('␞', '␝', '␄')],
    ['\\x1e written out', typed('\\x1e', '\\x1d', '\\x04')],
    ['\\u001e written out', typed('\\u001e', '\\u001d', '\\u0004')],
    ['lower case {rs}', typed('{rs}', '{gs}', '{eot}')],
  ])('reads control characters typed as %s', (_how, text) => {
    const scan = parseDistributorBarcode(text)!;
    expect(scan.fields).toEqual(mouserFields);
    expect(scan.warnings).toEqual([]);
  });

  it('reads lower-case data identifiers as a keyboard wedge sends them, and says so', () => {
    // A capture from a wedge that types GS as ']' and lower-cases some identifiers.
    const text = '[)>\x1e06]k21421337]14k033]1PLDK320ADU33R]q4]11K060439500]4LCN]1vSTMicro\x1e\x04';
    const scan = parseDistributorBarcode(text)!;
    expect(scan).toMatchObject({
      distributor: 'Mouser',
      customerPo: '21421337',
      lineItem: '033',
      mpn: 'LDK320ADU33R',
      quantity: '4',
      manufacturer: 'STMicro',
      countryOfOrigin: 'CN',
    });
    expect(scan.fields.map((f) => f.id)).toEqual(['K', '14K', '1P', 'Q', '11K', '4L', '1V']);
    expect(scan.warnings).toEqual([
      "fields are separated by ']' instead of GS",
      'data identifiers in lower case read as upper case: k → K, 14k → 14K, q → Q, 1v → 1V',
    ]);
    // A lower-case letter that is no data identifier of the standard stays unread.
    const unknown = parseDistributorBarcode('[)>\x1e06\x1d1PABC\x1dq5\x1dhello\x1e\x04')!;
    expect(unknown.quantity).toBe('5');
    expect(unknown.fields.at(-1)).toEqual({
      id: '',
      label: 'Text without a data identifier',
      value: 'hello',
    });
  });

  it('reads other separators and says so', () => {
    const scan = parseDistributorBarcode(typed('|', '|', ''))!;
    expect(scan.fields).toEqual(mouserFields);
    expect(scan.warnings).toContain("fields are separated by '|' instead of GS");
  });

  it('reads labels without RS, without EOT, or cut short, and warns', () => {
    expect(parseDistributorBarcode(MOUSER.replace('\x1e06', '06'))?.fields).toEqual(mouserFields);
    const noTrailer = parseDistributorBarcode(MOUSER.slice(0, -2))!;
    expect(noTrailer.fields).toEqual(mouserFields);
    expect(noTrailer.warnings[0]).toContain('no end marker');
    const cut = parseDistributorBarcode(MOUSER.slice(0, MOUSER.indexOf('Q3') + 1))!;
    expect(cut.mpn).toBe('MC34063ADR');
    expect(cut.quantity).toBeUndefined(); // `Q` with no value yet
    expect(cut.warnings[0]).toContain('no end marker');
  });

  it('splits Mouser labels whose separators were lost', () => {
    const scan = parseDistributorBarcode(typed('', '', ''))!;
    expect(scan.fields).toEqual(mouserFields);
    expect(scan.warnings.join(' ')).toContain('in the order Mouser prints them');
  });

  it('says when lost separators cannot be told apart', () => {
    const scan = parseDistributorBarcode('[)>\x1e06XYZ123\x1e\x04')!;
    expect(scan.fields).toEqual([{ id: '', label: 'Unsplit data', value: 'XYZ123' }]);
    expect(scan.warnings).toContain(
      'the separators between fields were lost and the fields could not be told apart',
    );
  });

  it('warns about values that are not what their identifier says', () => {
    const scan = parseDistributorBarcode('[)>\x1e06\x1d1PABC\x1dQten\x1dhello\x1e\x04')!;
    expect(scan.quantity).toBeUndefined();
    expect(scan.warnings).toEqual([
      "'hello' starts with no data identifier",
      "quantity 'ten' is not a number",
    ]);
  });

  it('leaves other 15434 formats alone', () => {
    expect(parseDistributorBarcode('[)>\x1e12\x1dABC\x1e\x04')).toBeNull();
    expect(parseDistributorBarcode('[)>')).toBeNull();
  });
});

describe('LCSC and TME codes', () => {
  it('reads LCSC QR codes', () => {
    expect(parseDistributorBarcode(LCSC)).toMatchObject({
      format: 'lcsc',
      distributor: 'LCSC',
      supplierPartNumber: 'C312270',
      mpn: 'ST-1-102-A01-T000-RS',
      quantity: '2',
      orderNumber: 'SO2009291337',
      warnings: [],
    });
    const scan = parseDistributorBarcode(LCSC_WC)!;
    expect(scan).toMatchObject({
      supplierPartNumber: 'C136648',
      mpn: 'LMR16030SDDAR',
      quantity: '5',
    });
    expect(scan.fields.at(-1)).toEqual({ id: 'wc', label: 'Warehouse code', value: 'ZH' });
  });

  it('keeps a comma inside an LCSC value and warns when the code is cut short', () => {
    const scan = parseDistributorBarcode('{pbn:PICK1,pc:C1,pm:A,B,qty:10')!;
    expect(scan.mpn).toBe('A,B');
    expect(scan.quantity).toBe('10');
    expect(scan.warnings[0]).toContain('no closing brace');
    expect(parseDistributorBarcode('{"json": true}')).toBeNull();
  });

  it('reads TME QR codes', () => {
    expect(parseDistributorBarcode(TME_QR)).toMatchObject({
      format: 'tme',
      distributor: 'TME',
      supplierPartNumber: 'WBP-302',
      mpn: 'WBP-302',
      manufacturer: 'WISHERENTERPRISE',
      quantity: '1',
      customerPo: 'PO-2023-06-08-001337',
      orderNumber: '19361337',
      lineItem: '1',
    });
    expect(parseDistributorBarcode('QTY: 25 PN:ABC-1 MPN:XYZ')).toMatchObject({
      quantity: '25',
      supplierPartNumber: 'ABC-1',
    });
  });

  it('reads TME DataMatrix codes', () => {
    expect(parseDistributorBarcode(TME_DATAMATRIX)).toMatchObject({
      format: 'tme',
      distributor: 'TME',
      supplierPartNumber: 'WBP-302',
      mpn: 'MPNWBP-302',
      quantity: '1',
      orderNumber: '19361337',
      lineItem: '1',
    });
  });
});

describe('older TME DataMatrix codes', () => {
  // As older TME bags print them: country of origin (4L) between quantity and order, and as
  // scanners read them with the spaces between the fields dropped.
  const WITH_COUNTRY = 'P1N4148-DIO 1P1N4148 Q100 4LCN K20551337/4';
  const JOINED = 'PWBP-3021PMPNWBP-302Q1K19361337/1';
  const JOINED_WITH_COUNTRY = 'PTPS7A0518PDBVRQ11PTPS7A0518PDBVRQ1Q254LMYK21071337/3';

  it('reads a country-of-origin token among the fields', () => {
    const scan = parseDistributorBarcode(WITH_COUNTRY)!;
    expect(scan).toMatchObject({
      format: 'tme',
      distributor: 'TME',
      supplierPartNumber: '1N4148-DIO',
      mpn: '1N4148',
      quantity: '100',
      countryOfOrigin: 'CN',
      orderNumber: '20551337',
      lineItem: '4',
      warnings: [],
    });
    expect(scan.fields.find((f) => f.id === '4L')).toEqual({
      id: '4L',
      label: 'Country of origin',
      value: 'CN',
    });
    expect(recogniseScan(WITH_COUNTRY)?.kind).toBe('distributor');
  });

  it('reads codes whose spaces a scanner dropped, and says it split them', () => {
    const spaced = parseDistributorBarcode(TME_DATAMATRIX)!;
    const joined = parseDistributorBarcode(JOINED)!;
    expect(joined.fields).toEqual(spaced.fields);
    expect(joined).toMatchObject({ supplierPartNumber: 'WBP-302', quantity: '1', lineItem: '1' });
    expect(joined.warnings).toEqual([
      'the spaces between the fields were lost: split at P, 1P, Q, 4L and K as TME prints them (a guess; check the values)',
    ]);
    // An MPN ending in Q1 and a quantity run into the country's 4L: still told apart.
    expect(parseDistributorBarcode(JOINED_WITH_COUNTRY)).toMatchObject({
      supplierPartNumber: 'TPS7A0518PDBVRQ1',
      mpn: 'TPS7A0518PDBVRQ1',
      quantity: '25',
      countryOfOrigin: 'MY',
      orderNumber: '21071337',
      lineItem: '3',
    });
    expect(recogniseScan(JOINED_WITH_COUNTRY)?.kind).toBe('distributor');
    for (const text of ['PABC', 'P1PQ1K', 'PA1PBQxK1/1', 'Pencil'])
      expect(parseDistributorBarcode(text)).toBeNull();
  });
});

describe('recogniseScan', () => {
  it('tells GS1 and distributor labels apart, and leaves everything else', () => {
    expect(recogniseScan(MOUSER)?.kind).toBe('distributor');
    expect(recogniseScan(LCSC)?.kind).toBe('distributor');
    expect(recogniseScan(TME_QR)?.kind).toBe('distributor');
    expect(recogniseScan(TME_DATAMATRIX)?.kind).toBe('distributor');
    expect(recogniseScan(']d2010950600013435217270101')?.kind).toBe('gs1');
    expect(recogniseScan('{GS}0109506000134352')?.kind).toBe('gs1');
    for (const text of [
      '',
      '   ',
      'hello world',
      'R0402 10k',
      '3x2a8kq1',
      'https://example.com/c/x',
    ])
      expect(recogniseScan(text)).toBeNull();
  });

  it('shows control characters for the "not recognised" message', () => {
    expect(showControlCharacters(MOUSER.slice(0, 12))).toBe('[)>␞06␝KP0-1');
    expect(showControlCharacters('a\x04\x00\x7fb')).toBe('a␄␀␡b');
  });
});

describe('hostile and random input', () => {
  /** Only null, a result, or a ValidationError for text that claims to be GS1. */
  const survives = (text: string) => {
    expect(() => parseDistributorBarcode(text)).not.toThrow();
    try {
      recogniseScan(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
    }
  };
  const control = fc.constantFrom(
    '\x1e',
    '\x1d',
    '\x04',
    '{RS}',
    '<GS>',
    '^]',
    '|',
    '[)>',
    '06',
    '(01)',
    ':',
    ',',
    ' ',
  );

  it('never crashes on random strings and bytes', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), survives), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) =>
        survives(String.fromCharCode(...bytes)),
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(control, fc.string({ maxLength: 4 })), { maxLength: 40 }),
        (parts) => survives(parts.join('')),
      ),
      { numRuns: 2000 },
    );
  });

  it('never crashes on truncations and mutations of the real strings', () => {
    for (const real of REAL) for (let n = 0; n <= real.length; n++) survives(real.slice(0, n));
    fc.assert(
      fc.property(
        fc.constantFrom(...REAL),
        fc.array(
          fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.oneof(control, fc.string({ maxLength: 3 }))),
          {
            maxLength: 6,
          },
        ),
        (real, edits) => {
          let text = real;
          for (const [at, remove, insert] of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + insert + text.slice(i + remove);
          }
          survives(text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stays linear on long hostile input', () => {
    const hostile = [
      `[)>${'\x1e'.repeat(50_000)}`,
      `[)>\x1e06${'1'.repeat(100_000)}`,
      `[)>\x1e06${'P1P30PK1K'.repeat(10_000)}`,
      `[)>\x1e05\x1d01${'\x1e'.repeat(50_000)}x`,
      `{${'a:,'.repeat(30_000)}`,
      `${'{RS}'.repeat(25_000)}x`,
      `(01)${'(10)'.repeat(25_000)}`,
      `01${'|'.repeat(100_000)}`,
      `QTY:1 ${'PN:x '.repeat(20_000)}`,
      `]d2${'10A\x1d'.repeat(25_000)}`,
    ];
    for (const text of hostile) {
      const started = performance.now();
      survives(text);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });
});
