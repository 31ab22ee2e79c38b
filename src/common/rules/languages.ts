// The languages of the product, written once (pure, zod-free): the customer page, the staff app,
// the news feed, the admin texts and the e-mail frame all speak these.

export const languages = ['nb', 'en'] as const;
/** Norwegian bokmål (the default) or English. */
export type Language = (typeof languages)[number];
