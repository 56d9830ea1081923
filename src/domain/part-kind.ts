/** What a part is: a closed set of stable strings (part.kind). */
export const PART_KINDS = ['component', 'sub_assembly', 'meta_part'] as const;
export type PartKind = (typeof PART_KINDS)[number];
