import { describe, expect, it } from 'vitest';
import * as limits from './upload-limits.ts';

describe('the customer page’s upload checks', () => {
  it('offers every accepted extension in the file picker', () => {
    for (const extension of ['pdf', 'heic', 'docx', 'mov'])
      expect(limits.FILE_ACCEPT).toContain(`.${extension}`);
    expect(limits.FILE_ACCEPT).toContain('image/*');
  });

  it('accepts names by extension, case-insensitively', () => {
    expect(limits.hasAcceptedExtension('IMG_0001.HEIC')).toBe(true);
    expect(limits.hasAcceptedExtension('skade.jpg')).toBe(true);
    expect(limits.hasAcceptedExtension('virus.exe')).toBe(false);
    expect(limits.hasAcceptedExtension('pdf')).toBe(false);
  });
});
