/**
 * Attributes of a text input a keyboard-wedge scanner types into: no autocompletion,
 * autocorrection, capitals or spell checking may change the scanned characters, and the phone
 * keyboard's Enter key reads "go" (a scanner ends its text with Enter).
 */
export const SCANNER_INPUT = {
  autoComplete: 'off',
  autoCorrect: 'off',
  autoCapitalize: 'off',
  spellCheck: false,
  enterKeyHint: 'go',
} as const;
