import { describe, expect, it } from 'vitest';
import { parseCode } from '../src/domain/code.js';
import { objectUrl } from '../src/domain/object-url.js';

const code = '0h4m9r7s1v2xy3z4a5b6c7d8e9';

describe('objectUrl', () => {
  it('puts the code under /c/ of the base, with one slash whatever the base ends with', () => {
    expect(objectUrl('https://t.example.com', code)).toBe(`https://t.example.com/c/${code}`);
    expect(objectUrl('https://t.example.com/', code)).toBe(`https://t.example.com/c/${code}`);
    expect(objectUrl('https://example.com/tracelot//', code)).toBe(
      `https://example.com/tracelot/c/${code}`,
    );
  });

  it('is the page path without a base', () => {
    expect(objectUrl('', code)).toBe(`/c/${code}`);
  });

  it('reads back as the code it was made of, as a scanned label is read', () => {
    expect(parseCode(objectUrl('https://t.example.com/', code))).toBe(code);
  });
});
