import type { App } from '../http/types.ts';

/** Routes of the economy module (being built). */
export async function economyRoutes(_app: App): Promise<void> {}
