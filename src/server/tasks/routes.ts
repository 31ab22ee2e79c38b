import type { App } from '../http/types.ts';

/** Routes of the tasks module (being built). */
export async function taskRoutes(_app: App): Promise<void> {}
