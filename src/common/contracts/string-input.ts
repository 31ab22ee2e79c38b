import { z } from 'zod';

// The two kinds of string input every schema builds on, so control characters are refused in one
// place. C0 controls and DEL have no place in what people type: PostgreSQL refuses NUL in text (the
// request failed with a 500), and a line break in a name or an address ends up in e-mail headers,
// SMS and log lines. Only texts that have lines keep tab, line feed and carriage return.
// This module imports nothing but zod, so any bundle may use it.

// eslint-disable-next-line no-control-regex
const NO_CONTROLS = /^[^\u0000-\u001f\u007f]*$/;
// eslint-disable-next-line no-control-regex
const NO_CONTROLS_BUT_LINES = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;

/** A string on one line (ids, names, e-mail addresses, search words): no control characters at all. */
export const singleLine = () =>
  z.string().regex(NO_CONTROLS, 'must not contain line breaks or control characters');

/** A string that may have lines (descriptions, comments, messages): tab and line breaks, no other controls. */
export const multiLine = () => z.string().regex(NO_CONTROLS_BUT_LINES, 'must not contain control characters');
