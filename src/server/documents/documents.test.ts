import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { asciiFallback, attachmentDisposition, encodeRfc8187 } from './content-disposition.ts';
import { cleanFileName } from './intake.ts';
import { UploadInspector, extensionOf } from '../storage/file-types.ts';
// The FileStorage adapters (disk and S3) share one contract test: storage/s3-file-storage.test.ts.

describe('Content-Disposition (RFC 6266 / 8187)', () => {
  it('keeps Norwegian letters in filename* and transliterates the ASCII fallback', () => {
    expect(attachmentDisposition('Skaderapport Ørsta.pdf')).toBe(
      `attachment; filename="Skaderapport Orsta.pdf"; filename*=UTF-8''Skaderapport%20%C3%98rsta.pdf`,
    );
    expect(asciiFallback('Æble på øya.docx')).toBe('AEble pa oya.docx');
  });

  it('never lets quotes, backslashes, percent signs or control characters into the header', () => {
    expect(asciiFallback('a"b\\c%20d\u0007e.txt')).toBe('a_b_c_20d_e.txt');
    expect(encodeRfc8187("it's (1)*.pdf")).toBe('it%27s%20%281%29%2A.pdf');
    expect(asciiFallback('日本.pdf')).toBe('__.pdf');
  });
});

describe('cleanFileName', () => {
  it('drops paths, control and bidi-override characters, and composes to NFC', () => {
    expect(cleanFileName('C:\\Users\\kari\\rapport.pdf')).toBe('rapport.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('bilde\u202Egpj.exe')).toBe('bildegpj.exe');
    expect(cleanFileName('a\u0000b\r\n.pdf')).toBe('ab.pdf');
    expect(cleanFileName('ga\u030Ard.pdf')).toBe('gård.pdf');
    expect(cleanFileName('  ')).toBe('');
    expect(cleanFileName('..')).toBe('');
  });

  it('shortens long names to 200 characters, keeping the extension', () => {
    const name = cleanFileName(`${'x'.repeat(300)}.pdf`);
    expect(name).toHaveLength(200);
    expect(extensionOf(name)).toBe('pdf');
  });
});

describe('UploadInspector', () => {
  const inspect = async (chunks: Buffer[], max = 1024) => {
    const inspector = new UploadInspector(max);
    await pipeline(Readable.from(chunks), inspector, async (source) => {
      for await (const _chunk of source) void _chunk;
    });
    return inspector.facts();
  };

  it('recognises UTF-8 text even when a letter is split across chunks', async () => {
    const bytes = Buffer.from('Ørsta');
    expect(await inspect([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual({
      sizeBytes: bytes.length,
      isText: true,
      looksLikeMarkup: false,
    });
  });

  it('treats NUL bytes, invalid UTF-8 and a cut-off letter as not text', async () => {
    expect((await inspect([Buffer.from('a\u0000b')])).isText).toBe(false);
    expect((await inspect([Buffer.from([0xff, 0xfe, 0x41])])).isText).toBe(false);
    expect((await inspect([Buffer.from('Ø').subarray(0, 1)])).isText).toBe(false);
  });

  it('flags text that a browser would sniff as HTML, SVG, XML or a script', async () => {
    for (const start of [
      '<!DOCTYPE html>',
      '\uFEFF  <html>',
      '<svg xmlns="x">',
      '<?xml version="1.0"?>',
      '<!-- x -->',
      '#!/bin/sh',
    ]) {
      expect((await inspect([Buffer.from(`${start}\nrest`)])).looksLikeMarkup, start).toBe(true);
    }
    expect((await inspect([Buffer.from('Pris < 100 kr\n<p>')])).looksLikeMarkup).toBe(false);
  });

  it('fails with 413 past the limit', async () => {
    await expect(inspect([Buffer.alloc(600), Buffer.alloc(600)], 1000)).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });
});
