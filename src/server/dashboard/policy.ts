import { anyStaff } from '../security/actor.ts';

/** Every staff member and API key of the company sees the dashboard (scoped as dashboard.ts says). */
export const dashboardPolicy = {
  read: anyStaff,
};
