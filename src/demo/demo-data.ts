/**
 * The demo company's data: two KiCad BOM exports (as Eeschema's "grouped by value with
 * footprint" plugin writes them, with a Stage column) and the reels received for them.
 * Manufacturer part numbers are real parts; vendor lots, date codes and orders are made up.
 */

const KICAD_HEADER = (sheet: string, count: number) =>
  [
    `"Source:","/home/maker/${sheet}/${sheet}.kicad_sch"`,
    `"Date:","2026-09-14T10:12:45+0200"`,
    `"Tool:","Eeschema 8.0.4"`,
    `"Generator:","/usr/share/kicad/plugins/bom_csv_grouped_by_value_with_fp.py"`,
    `"Component Count:","${count}"`,
    `"Ref","Qnty","Value","Cmp name","Footprint","Description","Manufacturer","MPN","DNP","Stage"`,
  ].join('\n');

/** MPN of the power module, so the sensor node's BOM line PM1 finds the sub-assembly part. */
export const POWER_MODULE_MPN = 'TL-PM5V-R2';

export const POWER_MODULE_BOM = `${KICAD_HEADER('power-module', 7)}
"U1","1","TPS62160","Regulator_Switching","Package_SON:WSON-8-1EP_2x2mm_P0.5mm_EP0.9x1.6mm","Buck converter 3-17 V, 1 A","Texas Instruments","TPS62160DSGR","","SMT"
"L1","1","2.2uH","L","Inductor_SMD:L_1008_2520Metric","Inductor 2.2 uH 1.5 A","Murata","LQM2HPN2R2MG0L","","SMT"
"C1, C2","2","10uF","C","Capacitor_SMD:C_0805_2012Metric","Cap, ceramic, 10uF 25V X5R","Murata","GRM21BR61E106KA73L","","SMT"
"R1","1","100k","R","Resistor_SMD:R_0402_1005Metric","Resistor 100k 1%","Yageo","RC0402FR-07100KL","","SMT"
"R2","1","22k","R","Resistor_SMD:R_0402_1005Metric","Resistor 22k 1%","Yageo","RC0402FR-0722KL","","SMT"
"J1","1","Conn_01x03","Conn","Connector_PinHeader_2.54mm:PinHeader_1x03_P2.54mm_Vertical","Pin header 1x03","Amphenol","68001-403HLF","","SMT"
`;

export const SENSOR_NODE_BOM = `${KICAD_HEADER('sensor-node', 16)}
"C1, C2, C5","3","100nF","C","Capacitor_SMD:C_0402_1005Metric","Cap, ceramic, 100nF 16V X7R","Murata","GRM155R71C104KA88D","","SMT"
"C3, C4","2","10uF","C","Capacitor_SMD:C_0805_2012Metric","Cap, ceramic, 10uF 25V X5R","Murata","GRM21BR61E106KA73L","","SMT"
"R1, R2","2","10k","R","Resistor_SMD:R_0402_1005Metric","Resistor 10k 1%","Yageo","RC0402FR-0710KL","","SMT"
"R3","1","4.7k","R","Resistor_SMD:R_0402_1005Metric","Resistor 4.7k 1%","Yageo","RC0402FR-074K7L","","SMT"
"R4","1","0R","R","Resistor_SMD:R_0402_1005Metric","Jumper, fit for 3.3 V only","Yageo","RC0402JR-070RL","DNP","SMT"
"U1","1","STM32G031K8T6","MCU_ST_STM32G0","Package_QFP:LQFP-32_7x7mm_P0.8mm","MCU Arm Cortex-M0+, 64 KB flash","STMicroelectronics","STM32G031K8T6","","SMT"
"U2","1","BME280","Sensor","Package_LGA:Bosch_LGA-8_2.5x2.5mm_P0.65mm_ClockwisePinNumbering","Humidity, pressure and temperature sensor","Bosch","BME280","","SMT"
"D1","1","LED green","LED","LED_SMD:LED_0603_1608Metric","LED green 0603","Lite-On","LTST-C191KGKT","","SMT"
"Y1","1","32.768kHz","Crystal","Crystal:Crystal_SMD_3215-2Pin_3.2x1.5mm","Crystal 32.768 kHz 12.5 pF","Abracon","ABS07-32.768KHZ-T","","SMT"
"J1","1","USB-C","USB_C_Receptacle","Connector_USB:USB_C_Receptacle_GCT_USB4105-xx-A_16P_TopMnt_Horizontal","USB 2.0 Type-C receptacle","GCT","USB4105-GF-A","","Hand solder"
"J2","1","Conn_01x04","Conn","Connector_JST:JST_PH_B4B-PH-K_1x04_P2.00mm_Vertical","JST PH 4-pin header","JST","B4B-PH-K-S","","Hand solder"
"PM1","1","Power module","Module","tracelot:PowerModule_5V","5 V power module, built in house","Tracelot Demo","${POWER_MODULE_MPN}","","Final assembly"
`;

/** A received reel or bag: MPN of its part, quantity, where it goes, and its supplier data. */
export interface DemoReel {
  mpn: string;
  quantity: number;
  shelf: 'A' | 'B';
  vendorLot: string;
  dateCode: string;
  orderRef: string;
}

/** Two deliveries for the passives (FIFO has a choice), one for the rest. */
export const DEMO_REELS: DemoReel[] = [
  {
    mpn: 'GRM155R71C104KA88D',
    quantity: 4000,
    shelf: 'A',
    vendorLot: 'MUR2441K07',
    dateCode: '2441',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: 'GRM155R71C104KA88D',
    quantity: 10000,
    shelf: 'B',
    vendorLot: 'MUR2518K02',
    dateCode: '2518',
    orderRef: 'PO-2026-0402',
  },
  {
    mpn: 'GRM21BR61E106KA73L',
    quantity: 3000,
    shelf: 'A',
    vendorLot: 'MUR2436C11',
    dateCode: '2436',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: 'RC0402FR-0710KL',
    quantity: 10000,
    shelf: 'A',
    vendorLot: 'YAG24W33-118',
    dateCode: '2433',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: 'RC0402FR-0710KL',
    quantity: 10000,
    shelf: 'B',
    vendorLot: 'YAG25W09-042',
    dateCode: '2509',
    orderRef: 'PO-2026-0402',
  },
  {
    mpn: 'RC0402FR-074K7L',
    quantity: 10000,
    shelf: 'A',
    vendorLot: 'YAG24W40-007',
    dateCode: '2440',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: 'RC0402JR-070RL',
    quantity: 5000,
    shelf: 'A',
    vendorLot: 'YAG24W12-300',
    dateCode: '2412',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: 'RC0402FR-07100KL',
    quantity: 10000,
    shelf: 'A',
    vendorLot: 'YAG25W02-011',
    dateCode: '2502',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: 'RC0402FR-0722KL',
    quantity: 10000,
    shelf: 'A',
    vendorLot: 'YAG25W02-014',
    dateCode: '2502',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: 'STM32G031K8T6',
    quantity: 250,
    shelf: 'B',
    vendorLot: 'GH2480Q9',
    dateCode: '2448',
    orderRef: 'PO-2026-0298',
  },
  {
    mpn: 'BME280',
    quantity: 100,
    shelf: 'B',
    vendorLot: 'BSH4Y21A',
    dateCode: '2421',
    orderRef: 'PO-2026-0298',
  },
  {
    mpn: 'LTST-C191KGKT',
    quantity: 4000,
    shelf: 'A',
    vendorLot: 'LO2434-B7',
    dateCode: '2434',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: 'ABS07-32.768KHZ-T',
    quantity: 1000,
    shelf: 'B',
    vendorLot: 'AB24390512',
    dateCode: '2439',
    orderRef: 'PO-2026-0298',
  },
  {
    mpn: 'USB4105-GF-A',
    quantity: 200,
    shelf: 'B',
    vendorLot: 'GCT-2445-17',
    dateCode: '2445',
    orderRef: 'PO-2026-0298',
  },
  {
    mpn: 'B4B-PH-K-S',
    quantity: 500,
    shelf: 'B',
    vendorLot: 'JST250112',
    dateCode: '2501',
    orderRef: 'PO-2026-0298',
  },
  {
    mpn: 'TPS62160DSGR',
    quantity: 250,
    shelf: 'B',
    vendorLot: 'TI-4CKL1952',
    dateCode: '2437',
    orderRef: 'PO-2026-0298',
  },
  {
    mpn: 'LQM2HPN2R2MG0L',
    quantity: 2000,
    shelf: 'A',
    vendorLot: 'MUR2429L03',
    dateCode: '2429',
    orderRef: 'PO-2026-0311',
  },
  {
    mpn: '68001-403HLF',
    quantity: 500,
    shelf: 'B',
    vendorLot: 'AMP2450-88',
    dateCode: '2450',
    orderRef: 'PO-2026-0298',
  },
];

/** Supplier part numbers, so bag labels scanned at receiving find their parts. */
export const DEMO_SUPPLIER_PARTS: Record<string, { supplier: string; sku: string }[]> = {
  GRM155R71C104KA88D: [{ supplier: 'Digi-Key', sku: '490-3261-1-ND' }],
  STM32G031K8T6: [{ supplier: 'Digi-Key', sku: '497-19574-ND' }],
  BME280: [{ supplier: 'Mouser', sku: '262-BME280' }],
  'USB4105-GF-A': [{ supplier: 'LCSC', sku: 'C3020560' }],
};
