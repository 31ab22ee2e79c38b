import type { App } from '../http/types.ts';

/** Routes of the documents module (being built). */
export async function documentRoutes(_app: App): Promise<void> {}
