import { z } from 'zod';
import { idSchema } from './schemas.ts';

// Export and erasure of one person's data from a case (issue 19, item 6): the person is a contact of
// the case (`case_contacts`), named by its id as the customer-access routes name it.

/** The path of both routes: the case and the contact. */
export const personOfCaseParams = z.object({ id: idSchema, contactId: idSchema });

/**
 * The erasure's confirmation: `{confirm: true}`. The staff dialog asks before sending it; an API
 * caller must say so explicitly, so a stray POST with an empty body erases nothing (400).
 */
export const erasePersonBody = z.strictObject({
  confirm: z.literal(true, 'must be true: erasing cannot be undone'),
});
export type ErasePersonInput = z.infer<typeof erasePersonBody>;

/** What an erasure did, in counts only (the answer names no personal data). */
export const erasePersonView = z.object({
  contactId: z.string(),
  erased: z.object({
    grants: z.number().int(),
    sessions: z.number().int(),
    messages: z.number().int(),
    files: z.number().int(),
    outboxMessages: z.number().int(),
    events: z.number().int(),
    calls: z.number().int(),
    texts: z.number().int(),
  }),
});
export type ErasePersonView = z.infer<typeof erasePersonView>;
