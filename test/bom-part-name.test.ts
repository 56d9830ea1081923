import { describe, expect, it } from 'vitest';
import { bomPartName, footprintSize } from '../src/domain/bom-csv.js';
import { mergeStages, stageLabel } from '../src/domain/bom-stage.js';

describe('readable names of parts a BOM import creates', () => {
  it('shortens KiCad library footprints to their size or package', () => {
    expect(
      [
        'Capacitor_SMD:C_0402_1005Metric',
        'Resistor_SMD:R_0603_1608Metric_Pad0.98x0.95mm_HandSolder',
        'Package_TO_SOT_SMD:SOT-23-5',
        'Package_QFP:LQFP-32_7x7mm_P0.8mm',
        'Connector_PinHeader_2.54mm:PinHeader_1x04_P2.54mm_Vertical',
        'C_0402_1005Metric',
        '0805',
      ].map(footprintSize),
    ).toEqual([
      '0402',
      '0603',
      'SOT-23-5',
      'LQFP-32',
      'PinHeader_1x04_P2.54mm_Vertical',
      'C_0402_1005Metric',
      '0805',
    ]);
  });

  it('joins value, footprint size and MPN, without repeating a word', () => {
    expect(bomPartName('100nF', 'Capacitor_SMD:C_0402_1005Metric', 'GRM155R61A104KA01D')).toBe(
      '100nF 0402 GRM155R61A104KA01D',
    );
    expect(bomPartName('STM32G031K8T6', 'Package_QFP:LQFP-32_7x7mm_P0.8mm', 'stm32g031k8t6')).toBe(
      'STM32G031K8T6 LQFP-32',
    );
    expect(bomPartName('', '', 'LM358DR')).toBe('LM358DR');
    expect(bomPartName('10k', 'Resistor_SMD:R_0603_1608Metric', '')).toBe('10k 0603');
  });
});

describe('stage names', () => {
  it('labels named and unnamed stages, and merges named stages with those entries use', () => {
    expect(stageLabel(2, 'Hand solder')).toBe('2 · Hand solder');
    expect(stageLabel(3, '')).toBe('Stage 3');
    expect(
      mergeStages([{ stage: 4, name: 'Test', documentation: true }], [2, 1, 2, 4]).map((s) => [
        s.stage,
        s.name,
        s.documentation,
      ]),
    ).toEqual([
      [1, '', false],
      [2, '', false],
      [4, 'Test', true],
    ]);
  });
});
