import { describe, expect, it } from 'vitest';
import { staticImportGraph } from '../import-graph.ts';

// The customer page's bundle budget (≤ 100 KB gzipped JavaScript, quality bar) holds only while its
// code imports React and small modules of our own. This walks the import graph of the customer
// entry and of the customer-page components (value imports only; `import type` is erased) and names
// anything that would pull in a library or the staff app's strings.

const entries = ['src/web/customer/main.tsx', 'src/web/customer/components/CustomerPage.tsx'];
const allowedPackages = ['react', 'react/jsx-runtime', 'react-dom/client'];
const forbiddenFiles = [
  /^src\/web\/staff\//,
  /^src\/web\/i18n\/(nb|en|i18n)\.ts$/,
  /^src\/web\/shared\/language\.tsx$/,
];

describe('the customer page bundle', () => {
  const graph = staticImportGraph(entries);

  it('imports no library but React (no zod, react-query, react-router, libphonenumber)', () => {
    expect([...graph.packages].filter((name) => !allowedPackages.includes(name))).toEqual([]);
  });

  it('imports nothing of the staff app, nor its message files', () => {
    expect([...graph.files].filter((file) => forbiddenFiles.some((pattern) => pattern.test(file)))).toEqual(
      [],
    );
  });

  it('reaches the components, the visibility rules it needs and the customer strings', () => {
    expect(graph.files).toContain('src/web/customer/components/DashboardView.tsx');
    expect(graph.files).toContain('src/web/i18n/customer-nb.ts');
    expect(graph.files).toContain('src/common/rules/color-contrast.ts');
  });
});
