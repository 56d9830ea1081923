/** The kinds of object that carry a code: the `kind` of every row of `object_code`. */
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
