import { describe, expect, it } from 'vitest';
import { acceptedDocumentExtensions, MAX_FILE_BYTES } from '../../common/document-api.ts';
import { MAX_MESSAGE_CHARS, MAX_MESSAGE_FILES } from '../../common/message-api.ts';
import * as limits from './upload-limits.ts';

describe('the customer page’s copy of the message limits', () => {
  it('equals the server’s', () => {
    expect(limits.MAX_MESSAGE_CHARS).toBe(MAX_MESSAGE_CHARS);
    expect(limits.MAX_MESSAGE_FILES).toBe(MAX_MESSAGE_FILES);
    expect(limits.MAX_FILE_BYTES).toBe(MAX_FILE_BYTES);
    expect([...limits.ACCEPTED_EXTENSIONS].sort()).toEqual([...acceptedDocumentExtensions].sort());
  });

  it('accepts names by extension, case-insensitively', () => {
    expect(limits.hasAcceptedExtension('IMG_0001.HEIC')).toBe(true);
    expect(limits.hasAcceptedExtension('skade.jpg')).toBe(true);
    expect(limits.hasAcceptedExtension('virus.exe')).toBe(false);
    expect(limits.hasAcceptedExtension('pdf')).toBe(false);
  });
});
