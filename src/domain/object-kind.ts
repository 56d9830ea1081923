/** The kinds of object that have a code (object_code.kind): a closed set of stable strings. */
export const OBJECT_KINDS = [
  'part',
  'location',
  'lot',
  'project',
  'build',
  'serial_format',
  'shipment',
  'service_event',
  'attachment',
  'test_template',
  'label_template',
] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];
