import { anyStaff, isManager, type Rule } from '../security/actor.ts';

/**
 * Who sees what of satisfaction (Decision): the answers on a case, with their comments, are part of
 * the case (anyone who reads the case, the handler first of all); the company's results and every
 * handler's scores side by side are a manager's view, level 4 (as approving invoices).
 */
export const satisfactionPolicy = {
  readCase: anyStaff,
  readResults: isManager,
} satisfies Record<string, Rule>;
