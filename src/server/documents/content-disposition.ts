/**
 * `Content-Disposition: attachment` with the file's name encoded per RFC 6266 §4.3 / RFC 8187
 * (formerly 5987): an ASCII `filename=` fallback for old clients and `filename*=UTF-8''…` with the
 * exact name, so "Skaderapport Ørsta.pdf" arrives intact.
 */
export function attachmentDisposition(fileName: string): string {
  return `attachment; filename="${asciiFallback(fileName)}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}

/** Letters Unicode decomposition cannot reduce to ASCII. */
const transliterations: Record<string, string> = {
  Æ: 'AE',
  æ: 'ae',
  Ø: 'O',
  ø: 'o',
  Đ: 'D',
  đ: 'd',
  ß: 'ss',
  Ł: 'L',
  ł: 'l',
};

/**
 * A quoted-string-safe ASCII version of the name: Norwegian letters transliterated, accents dropped,
 * anything else non-printable, quotes, backslashes and `%` (which some clients decode) replaced by `_`.
 */
export function asciiFallback(fileName: string): string {
  const ascii = [...fileName]
    .map((char) => transliterations[char] ?? char)
    .join('')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return ascii || 'download';
}

/** RFC 8187 value-chars: attr-char as is, every other UTF-8 byte percent-encoded. */
export function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
