/** Kinds of portal a company runs (spec §1). */
export const portalTypes = ['insurance', 'contractor'] as const;
export type PortalType = (typeof portalTypes)[number];

/** Staff authorization levels 1–6; 6 is the company admin (spec §3). */
export const authorizationLevels = [1, 2, 3, 4, 5, 6] as const;
export type AuthorizationLevel = (typeof authorizationLevels)[number];
export const COMPANY_ADMIN_LEVEL = 6;
