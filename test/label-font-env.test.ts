import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * TRACELOT_LABEL_FONT names the font for Chinese, Japanese and Korean label text. The fonts are
 * read once per process, so each case loads the module afresh.
 */
describe('labels: the font TRACELOT_LABEL_FONT names', () => {
  const fonts = async () => {
    vi.resetModules();
    return import('../src/labels/label-fonts.js');
  };
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('is used before the machine’s own fonts', async () => {
    const file = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSerif.ttf');
    vi.stubEnv('TRACELOT_LABEL_FONT', file);
    const { embedded } = await fonts();
    expect(embedded('System')!.file).toBe(file);
    expect(embedded('System')!.font.postscriptName).toBe('DejaVuSerif');
    // Bold has no file of its own here: the chosen one serves it too.
    expect(embedded('System-Bold')!.file).toBe(file);
  });

  it('is warned of when it cannot be read, and labels print with the machine’s fonts', async () => {
    vi.stubEnv('TRACELOT_LABEL_FONT', '/nonexistent/font.ttf');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const { embedded, SYSTEM_FONTS, textRuns } = await fonts();
    const system = embedded('System');
    expect(system?.file).not.toBe('/nonexistent/font.ttf');
    if (system) expect(SYSTEM_FONTS.regular).toContain(system.file);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^label font \/nonexistent\/font\.ttf cannot be used \(ENOENT/),
      'TracelotWarning',
    );
    // Text beyond the fonts still becomes runs: '?' when no font has it.
    const runs = textRuns('A 𓀀', false);
    expect(runs.map((r) => r.text).join('')).toBe('A ?');
  });
});
