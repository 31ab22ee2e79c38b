import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The text of a PDF, page by page, as a reader's copy would give it (pdfjs-dist, the legacy build that
 * runs in Node): each drawn run of text on its own line, no-break spaces as plain spaces so tests can
 * compare with "12 345,67 kr" (`flatText` joins a wrapped sentence again). For tests only (pdfjs-dist
 * is a dev dependency).
 */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const document = await pdfjs.getDocument({
    // pdfjs takes the buffer over: give it a copy.
    data: new Uint8Array(bytes),
    standardFontDataUrl: `${root}/standard_fonts/`,
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      // pdfjs adds empty runs where lines end; a drawn run is one line here.
      const runs = content.items.map((item) => ('str' in item ? item.str : '')).filter((run) => run.trim());
      pages.push(runs.join('\n').replace(/[\u00a0\u202f]/g, ' '));
    }
    return pages;
  } finally {
    await document.destroy();
  }
}

/** A page's text with every run of white space (line ends too) as one space: wrapped text joined. */
export const flatText = (page: string) => page.replace(/\s+/g, ' ');
