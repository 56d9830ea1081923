import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BomFileError,
  decodeBomFile,
  MAX_BOM_FILE_BYTES,
  MAX_BOM_LINES,
  parseBomCsv,
  splitDesignators,
  type ParsedBom,
} from '../src/domain/bom-csv.js';
import { parseCsv, parseCsvRows } from '../src/domain/csv.js';
import { ValidationError } from '../src/domain/errors.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/bom/${name}`, import.meta.url));
const parseFixture = (name: string, mapping?: Record<string, string>) =>
  parseBomCsv(decodeBomFile(fixture(name)), { mapping });

/** The lines as compact tuples: [line, designators, quantity in units, value, footprint, mpn, dnp]. */
const brief = (bom: ParsedBom) =>
  bom.lines.map((l) => [
    l.line,
    l.designators.join(' '),
    l.quantity === null ? null : l.quantity / 1e6,
    l.value,
    l.footprint,
    l.mpn,
    l.dnp,
  ]);

/** What the sensor-node fixtures hold, in every format: [designators, qty, value, footprint, mpn, dnp]. */
const SENSOR_NODE = [
  ['C1 C2 C5', 3, '100nF', 'Capacitor_SMD:C_0402_1005Metric', 'GRM155R71C104KA88D', false],
  ['C3 C4', 2, '10uF', 'Capacitor_SMD:C_0805_2012Metric', 'CL21A106KAYNNNE', false],
  ['D1', 1, 'green', 'LED_SMD:LED_0603_1608Metric', '150060GS75000', false],
  ['J1', 1, 'Conn_01x04', 'Connector_PinHeader_2.54mm:PinHeader_1x04_P2.54mm_Vertical', '', false],
  ['R1 R2', 2, '10k', 'Resistor_SMD:R_0603_1608Metric', 'RC0603FR-0710KL', false],
  ['R3', 1, '4k7', 'Resistor_SMD:R_0603_1608Metric', 'RC0603FR-074K7L', false],
  ['R4', 1, '10k', 'Resistor_SMD:R_0603_1608Metric', 'RC0603FR-0710KL', true],
  ['U1', 1, 'STM32G031K8T6', 'Package_QFP:LQFP-32_7x7mm_P0.8mm', 'STM32G031K8T6', false],
  ['U2', 1, 'TPS7A0533', 'Package_TO_SOT_SMD:SOT-23-5', 'TPS7A0533PDBVR', false],
  ['Y1', 1, '8MHz', 'Crystal:Crystal_SMD_3225-4Pin_3.2x2.5mm', 'ABM8-8.000MHZ-B2-T', false],
];
const withLines = (firstLine: number, rows: unknown[][], withMpn = true) =>
  rows.map((r, i) => [firstLine + i, r[0], r[1], r[2], r[3], withMpn ? r[4] : '', r[5]]);

/** The BomFileError a parse throws, or a failure. */
function fileError(run: () => unknown): BomFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof BomFileError) return error;
    throw error;
  }
  throw new Error('expected a BomFileError');
}

describe('CSV rows', () => {
  it('keeps the line each record starts on, through quoted line breaks and CRLF', () => {
    const text = '\ufeffa,b\r\n"x\r\ny",2\r\n\r\n"p ""q"", r",3\n';
    expect(parseCsvRows(text)).toEqual({
      rows: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x\r\ny', '2'] },
        { line: 5, fields: ['p "q", r', '3'] },
      ],
    });
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['x\r\ny', '2'],
      ['p "q", r', '3'],
    ]);
  });

  it('says where a quoted field opens that never closes', () => {
    expect(parseCsvRows('a,b\n1,"open\n2,3\n')).toEqual({
      rows: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['1', 'open\n2,3\n'] },
      ],
      unclosedQuoteLine: 2,
    });
  });
});

describe('KiCad BOM files', () => {
  it('bom_csv_grouped_by_value: skips the preamble and "Collated Components:", reads quoted cells', () => {
    const bom = parseFixture('kicad-grouped-by-value.csv');
    expect(bom).toMatchObject({ format: 'kicad_grouped_by_value', delimiter: ',', headerLine: 9 });
    expect(bom.columns).toEqual({
      quantity: 'Qty',
      reference: 'Reference(s)',
      value: 'Value',
      footprint: 'Footprint',
      dnp: 'DNP',
      description: 'Description',
      mpn: 'MPN',
      manufacturer: 'Manufacturer',
    });
    expect(bom.ignoredColumns).toEqual(['Item', 'LibPart', 'Datasheet']);
    expect(brief(bom)).toEqual(withLines(10, SENSOR_NODE));
    const j1 = bom.lines.find((l) => l.designators[0] === 'J1')!;
    expect(j1.description).toBe('Header 1x04, 2.54 mm "SWD"');
    expect(bom.lines.find((l) => l.designators[0] === 'D1')!.manufacturer).toBe('Würth Elektronik');
    expect(bom.lines.every((l) => l.problems.length === 0 && l.warnings.length === 0)).toBe(true);
  });

  it('bom_csv_grouped_by_value_with_fp: Ref / Qnty / Cmp name, five preamble lines', () => {
    const bom = parseFixture('kicad-grouped-by-value-with-fp.csv');
    expect(bom).toMatchObject({ format: 'kicad_grouped_by_value', headerLine: 6 });
    expect(bom.columns).toMatchObject({ reference: 'Ref', quantity: 'Qnty', dnp: 'DNP' });
    expect(bom.ignoredColumns).toEqual(['Cmp name', 'Vendor']);
    expect(brief(bom)).toEqual(withLines(7, SENSOR_NODE, false));
    expect(bom.lines[0]!.description).toBe('Cap, ceramic, 100nF 16V X7R');
  });

  it('symbol fields table export, and the same file saved by a spreadsheet with ";", CRLF and a BOM', () => {
    const plain = parseFixture('kicad-fields-table.csv');
    expect(plain).toMatchObject({ format: 'kicad_fields_table', delimiter: ',', headerLine: 1 });
    expect(brief(plain)).toEqual(withLines(2, SENSOR_NODE));
    const resaved = fixture('kicad-fields-table-semicolon.csv');
    expect([...resaved.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const semicolon = parseBomCsv(decodeBomFile(resaved));
    expect(semicolon).toMatchObject({ format: 'kicad_fields_table', delimiter: ';' });
    expect(brief(semicolon)).toEqual(brief(plain));
  });

  it('tab-separated files with KiBot-style ${QUANTITY} headers', () => {
    const bom = parseBomCsv(
      'References\tValue\tFootprint\t${QUANTITY}\t${DNP}\nR1,R2\t10k\tR_0603\t2\t\nC1\t100nF\tC_0402\t1\tDNP\n',
    );
    expect(bom.delimiter).toBe('\t');
    expect(brief(bom)).toEqual([
      [2, 'R1 R2', 2, '10k', 'R_0603', '', false],
      [3, 'C1', 1, '100nF', 'C_0402', '', true],
    ]);
  });
});

describe('BOM lines', () => {
  it('counts designators when there is no quantity, expands ranges, reads DNP from the value', () => {
    const bom = parseBomCsv(
      [
        'Designator,Value,Footprint,MPN',
        '"R1-R4, R7",10k,R_0603,',
        'R8 R9;R10,1k,R_0603,',
        'C9,DNP,C_0402,',
      ].join('\n'),
    );
    expect(brief(bom)).toEqual([
      [2, 'R1 R2 R3 R4 R7', 5, '10k', 'R_0603', '', false],
      [3, 'R8 R9 R10', 3, '1k', 'R_0603', '', false],
      [4, 'C9', 1, 'DNP', 'C_0402', '', true],
    ]);
    expect(bom.lines.every((l) => l.quantityFromDesignators)).toBe(true);
    expect(splitDesignators('U1-3, U5')).toEqual({
      designators: ['U1', 'U2', 'U3', 'U5'],
      problems: [],
    });
  });

  it('takes a fractional quantity, stage and comments, and warns when Qty and designators disagree', () => {
    const bom = parseBomCsv('Ref,Qty,Stage,Notes\nW1,0.25,2,"cut to length, strip"\nR1 R2,3,,\n');
    expect(bom.lines.map((l) => [l.quantity, l.stage, l.comments, l.warnings])).toEqual([
      [250_000, 2, 'cut to length, strip', []],
      [3_000_000, 1, '', ['quantity 3 differs from the count of designators (2)']],
    ]);
  });

  it('reports each bad line with its file line: quantities, duplicates, stage, DNP, extra fields', () => {
    const bom = parseBomCsv(
      [
        'Source:,x.kicad_sch',
        'Reference,Qty,Value,DNP,Stage',
        'R1,-2,10k,,',
        'R2,abc,10k,,',
        'R3,0,10k,,',
        'R4,0,10k,DNP,',
        '"R5, R6",2,1k,,',
        'R6,1,1k,maybe,0',
        'R7,1,1k,,,surplus',
        ',,,,',
        'C1 C1,2,100n,,',
        ',,1k,,',
      ].join('\r\n'),
    );
    expect(bom.headerLine).toBe(2);
    expect(bom.lines.map((l) => [l.line, l.problems])).toEqual([
      [3, ['quantity: must not be negative']],
      [4, ['quantity: must be a number, got "abc"']],
      [5, ['quantity: must be greater than 0 (or mark the line DNP)']],
      [6, []],
      [7, ['designator R6 is on line 8 too']],
      [
        8,
        [
          "dnp: 'maybe' is neither yes nor no (DNP, yes, 1, x; no, 0 or empty)",
          "stage: must be a number from 1 to 1000 or a name, got '0'",
          'designator R6 is on line 7 too',
        ],
      ],
      [9, ['has 6 fields but the header has 5 (a field holding the delimiter must be quoted)']],
      [11, ['reference: C1 appears twice on this line']],
      [12, ['has no quantity and no designators']],
    ]);
    expect(bom.lines.find((l) => l.line === 6)!.dnp).toBe(true);
  });
});

describe('bad BOM files', () => {
  it('refuses bytes that are not UTF-8, naming the line', () => {
    const latin1 = Buffer.from('Reference,Qty,Value\nR1,1,10k\nR2,1,4.7 k\xb5\n', 'latin1');
    const error = fileError(() => decodeBomFile(latin1));
    expect(error.field).toBe('file');
    expect(error.message).toMatch(/not UTF-8 text/);
    expect(error.problems).toEqual([
      { line: 3, message: 'byte 40 of the file (0xB5) is not UTF-8' },
    ]);
  });

  it('reads UTF-16 files with a byte-order mark', () => {
    const text = 'Reference\tQty\tValue\r\nR1\t1\t10kΩ\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(brief(parseBomCsv(decodeBomFile(le)))).toEqual([[2, 'R1', 1, '10kΩ', '', '', false]]);
  });

  it('refuses binary files and text with replacement characters', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(fileError(() => decodeBomFile(png)).message).toMatch(/not UTF-8 text/);
    const decoded = fileError(() => parseBomCsv('Reference,Qty\nR1,1\nR2,\u0000\u0001\n'));
    expect(decoded.field).toBe('csv');
    expect(decoded.problems).toEqual([{ line: 3, message: 'holds the control character U+0000' }]);
    const mangled = fileError(() => parseBomCsv('Reference,Qty,Value\nR1,1,4k7\nR2,1,10\ufffd\n'));
    expect(mangled.problems).toEqual([
      { line: 3, message: 'holds U+FFFD, the mark of bytes that were not UTF-8' },
    ]);
  });

  it('refuses empty files, files without a header, without quantity and reference columns', () => {
    expect(fileError(() => parseBomCsv('')).message).toBe('csv: the file is empty');
    expect(fileError(() => parseBomCsv(' \r\n\n')).message).toBe('csv: the file is empty');
    const noHeader = fileError(() => parseBomCsv('1,2,3\n4,5,6\n'));
    expect(noHeader.message).toMatch(/no header row found/);
    expect(noHeader.problems).toEqual([{ line: 1, message: "columns: '1', '2', '3'" }]);
    const noQuantity = fileError(() =>
      parseBomCsv('Value,Footprint,MPN\n10k,R_0603,RC0603FR-0710KL\n'),
    );
    expect(noQuantity.message).toMatch(/no quantity column and no reference/);
    expect(noQuantity.problems).toEqual([
      { line: 1, message: "header columns: 'Value', 'Footprint', 'MPN'" },
    ]);
    expect(fileError(() => parseBomCsv('Reference,Qty\n')).message).toMatch(
      /no BOM lines after its header/,
    );
    expect(fileError(() => parseBomCsv('Reference,Qty\nR1,"1\nR2,2\n')).problems).toEqual([
      { line: 2, message: 'a quoted field starts here and is never closed' },
    ]);
  });

  it('refuses files above 2 MB or 5,000 lines', () => {
    const big = `Reference,Qty,Comments\n${'R1,1,'.padEnd(1000, 'x')}\n`.repeat(2200);
    expect(big.length).toBeGreaterThan(MAX_BOM_FILE_BYTES);
    expect(fileError(() => parseBomCsv(big)).message).toMatch(/at most 2,097,152 \(2 MB\)/);
    const lines = ['Reference,Qty'];
    for (let i = 1; i <= MAX_BOM_LINES + 1; i++) lines.push(`R${i},1`);
    expect(fileError(() => parseBomCsv(lines.join('\n'))).message).toBe(
      'csv: the file has 5,001 BOM lines; at most 5,000 per import',
    );
    lines.pop();
    expect(parseBomCsv(lines.join('\n')).lines).toHaveLength(MAX_BOM_LINES);
  });
});

describe('column mapping', () => {
  it('maps columns by name, ignoring case, and keeps recognising the others', () => {
    const bom = parseFixture('generic-mapped.csv', {
      Parts: 'designators',
      'MFR CODE': 'mpn',
      Maker: 'manufacturer',
      'Land pattern': 'footprint',
      Val: 'value',
      'Build step': 'stage',
    });
    expect(bom.format).toBe('generic');
    expect(bom.columns).toEqual({
      reference: 'Parts',
      mpn: 'Mfr Code',
      manufacturer: 'Maker',
      footprint: 'Land pattern',
      value: 'Val',
      stage: 'Build step',
      quantity: 'Count',
      comments: 'Remarks',
    });
    expect(bom.lines.map((l) => [l.line, l.designators, l.quantity, l.stage, l.comments])).toEqual([
      [2, ['U1'], 1e6, 1, ''],
      [3, ['C1', 'C2', 'C5'], 3e6, 1, ''],
      [4, ['R1', 'R2'], 2e6, 1, 'any 1% thick film'],
      [5, ['J1'], 1e6, 2, 'fit after test, by hand'],
    ]);
  });

  it('a mapped column wins over a recognised one', () => {
    const bom = parseBomCsv('Ref,Comment,Qty\nR1,10k,1\n', { mapping: { comment: 'value' } });
    expect(bom.columns).toEqual({ reference: 'Ref', value: 'Comment', quantity: 'Qty' });
    expect(bom.lines[0]!.value).toBe('10k');
  });

  it('names the bad mapping: an unknown field, a field twice, a column the file lacks', () => {
    const error = (mapping: Record<string, string>) => {
      try {
        parseBomCsv('Ref,Qty\nR1,1\n', { mapping });
      } catch (e) {
        if (e instanceof ValidationError) return [e.field, e.message];
      }
      return undefined;
    };
    expect(error({ Ref: 'price' })).toEqual([
      'mapping.Ref',
      expect.stringMatching(/'price' is not a BOM field; fields: reference, quantity/),
    ]);
    expect(error({ Ref: 'reference', Qty: 'designators' })).toEqual([
      'mapping.Qty',
      expect.stringMatching(/'reference' is mapped from 'Ref' already/),
    ]);
    expect(error({ Part: 'mpn' })).toEqual([
      'mapping',
      "mapping: no header row of the file has every mapped column ('part'); line 1 has: 'Ref', 'Qty'",
    ]);
  });
});
