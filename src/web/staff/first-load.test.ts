import { describe, expect, it } from 'vitest';
import { staticImportGraph } from '../import-graph.ts';

// The staff app's first load (≤ 150 KB gzipped JavaScript, quality bar; `npm run build` measures it)
// is the shell: React, the router, the query cache, the strings and the sign-in page. Pages and the
// customer-page preview are dynamic imports (App.tsx, admin/CustomerPageAdminPage.tsx). This names
// any static import that would pull a page, the customer-page components or a heavy library (zod,
// libphonenumber) back into it.

const graph = staticImportGraph(['src/web/staff/main.tsx']);
const allowedPackages = [
  'react',
  'react/jsx-runtime',
  'react-dom/client',
  'react-router',
  '@tanstack/react-query',
];
const pageFiles = [
  /^src\/web\/staff\/(cases|dashboard|admin)\//,
  /^src\/web\/staff\/pages\/(?!SignInPage\.tsx$)/,
  /^src\/web\/staff\/notifications\/NotificationsPage\.tsx$/,
  /^src\/web\/customer\//,
  /^src\/web\/staff\/phone\.tsx$/,
];

describe('the staff app first load', () => {
  it('imports no library but React, the router and the query cache', () => {
    expect([...graph.packages].filter((name) => !allowedPackages.includes(name))).toEqual([]);
  });

  it('imports no page, no customer-page component and no phone formatting', () => {
    expect([...graph.files].filter((file) => pageFiles.some((pattern) => pattern.test(file)))).toEqual([]);
  });

  it('reaches the shell, the sign-in page and the strings', () => {
    expect(graph.files).toContain('src/web/staff/Shell.tsx');
    expect(graph.files).toContain('src/web/staff/pages/SignInPage.tsx');
    expect(graph.files).toContain('src/web/i18n/nb.ts');
  });
});
