/** What a signer declares by signing (21 CFR 11.50: the meaning of the signature). */
export const SIGNATURE_MEANINGS = ['approved', 'reviewed', 'performed'] as const;
export type SignatureMeaning = (typeof SIGNATURE_MEANINGS)[number];

/**
 * Operations that may require an electronic signature (21 CFR 11.50/11.70/11.200), named by the
 * history event they record. An admin chooses which ones require one (`signature_requirement`);
 * any of them may be signed voluntarily. `completion_reversed` is named here already for the
 * reversal of a completion, whose service calls requireSignature like the others.
 */
export const SIGNABLE_OPERATIONS = [
  'build_finished',
  'tests_overridden',
  'released',
  'completion_reversed',
  'recall_held',
  'recall_released',
  'bom_approved',
] as const;
export type SignableOperation = (typeof SIGNABLE_OPERATIONS)[number];

export const SIGNABLE_OPERATION_LABELS: Record<SignableOperation, string> = {
  build_finished: 'finish a build',
  tests_overridden: 'override a test gate (finish a build with overrideTests)',
  released: 'release a unit',
  completion_reversed: 'reverse a completion',
  recall_held: 'hold all stock that may contain a recalled lot',
  recall_released: 'release the stock a recall hold put on held',
  bom_approved: 'approve a revision of a project’s BOM',
};

/** The 11.50 manifestation: what the signer declares, shown before they sign and in the record. */
export function signatureManifestation(meaning: string, operation: SignableOperation): string {
  return `I, by entering my password, sign that I ${meaning === 'approved' ? 'approve' : meaning === 'reviewed' ? 'have reviewed' : 'have performed'} this change: ${SIGNABLE_OPERATION_LABELS[operation]}.`;
}
