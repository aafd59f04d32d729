import { describe, expect, it } from 'vitest';
import { saneLanguage } from './locale-guard';

describe('locale guard', () => {
  it('keeps valid tags and repairs the ones Chromium reports under LANG=C', () => {
    expect(saneLanguage('de-DE')).toBe('de-DE');
    expect(saneLanguage('en-US@posix')).toBe('en-US');
    expect(saneLanguage('en_US.UTF-8')).toBe('en-US');
    expect(saneLanguage('@@')).toBe('en-US');
    expect(() => new Intl.NumberFormat(saneLanguage('en-US@posix'))).not.toThrow();
  });
});
