import type { App } from '../http/types.ts';

/** Routes of the dashboard module (being built). */
export async function dashboardRoutes(_app: App): Promise<void> {}
