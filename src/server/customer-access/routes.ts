import { z } from 'zod';
import { errorBody } from '../../common/contracts/api.ts';
import {
  caseSendLinkSchema,
  caseSendLinkView,
  customerAccessListView,
  customerAccessParams,
  devMailboxQuery,
  devMailboxView,
  grantCustomerAccessSchema,
  newCustomerLinkSchema,
} from '../../common/contracts/customer-access-api.ts';
import { milestonePreviewQuery, milestonePreviewView } from '../../common/contracts/milestone-preview-api.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import {
  getCaseSendLink,
  grantCustomerAccess,
  listCustomerAccess,
  removeCustomerAccess,
  sendNewCustomerLink,
  setCaseSendLink,
} from './customer-access.ts';
import { readDevMailbox } from './dev-mailbox.ts';
import { previewMilestone } from './milestone-preview.ts';

const params = z.object({ id: idSchema });
const tags = ['customer access'];

/** Staff side of customer-page access: the access list of a case, grant, remove, the link setting. */
export async function customerAccessRoutes(app: App): Promise<void> {
  app.get(
    '/cases/:id/customer-access',
    {
      schema: {
        tags,
        summary:
          'The people of the case with their customer-page access, channels and message delivery states',
        params,
        response: { 200: customerAccessListView },
      },
    },
    async (request) => listCustomerAccess(app.db, actorOf(request), request.params.id),
  );

  app.post(
    '/cases/:id/customer-access',
    {
      schema: {
        tags,
        summary:
          'Grant a person of the case access and send the link at once. With the SMS security code on, the ' +
          'person needs a mobile number: 409 mobile_required without one; `phone` saves one first (a landline: 400)',
        params,
        body: grantCustomerAccessSchema,
        response: { 200: customerAccessListView, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const result = await grantCustomerAccess(app.db, actorOf(request), request.params.id, request.body);
      return result;
    },
  );

  app.delete(
    '/cases/:id/customer-access/:contactId',
    {
      schema: {
        tags,
        summary: "Remove a person's access: the link and its sessions stop working at once",
        params: customerAccessParams,
        response: { 200: customerAccessListView, 404: errorBody },
      },
    },
    async (request) =>
      removeCustomerAccess(app.db, actorOf(request), request.params.id, request.params.contactId),
  );

  app.post(
    '/cases/:id/customer-access/:contactId/new-link',
    {
      schema: {
        tags,
        summary:
          'Send the person a new link at once (earlier links stop working); lifts a lock left by too many wrong SMS codes. ' +
          'As a grant: 409 mobile_required without a mobile number while the SMS code is on; `phone` saves one first',
        params: customerAccessParams,
        body: newCustomerLinkSchema,
        response: { 200: customerAccessListView, 400: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (request) =>
      sendNewCustomerLink(
        app.db,
        actorOf(request),
        request.params.id,
        request.params.contactId,
        request.body?.phone,
      ),
  );

  app.get(
    '/cases/:id/milestone-preview',
    {
      schema: {
        tags,
        summary:
          'Before a step that can move a milestone (accept_claim: level 2; assign_main_inspection): what the ' +
          'customer will newly see, the reports it shares and who gets the link — nothing is written',
        params,
        querystring: milestonePreviewQuery,
        response: { 200: milestonePreviewView, 403: errorBody, 404: errorBody },
      },
    },
    async (request) => previewMilestone(app.db, actorOf(request), request.params.id, request.query.step),
  );

  app.get(
    '/cases/:id/customer-page-link',
    {
      schema: {
        tags,
        summary:
          'When the link to the customer page goes out for this case (its own setting or the company’s)',
        params,
        response: { 200: caseSendLinkView },
      },
    },
    async (request) => getCaseSendLink(app.db, actorOf(request), request.params.id),
  );

  app.put(
    '/cases/:id/customer-page-link',
    {
      schema: {
        tags,
        summary:
          'Set the case’s own "send link" value (null: the company’s); a milestone already reached sends now',
        params,
        body: caseSendLinkSchema,
        response: { 200: caseSendLinkView },
      },
    },
    async (request) => {
      const result = await setCaseSendLink(
        app.db,
        actorOf(request),
        request.params.id,
        request.body.sendLink,
      );
      return result;
    },
  );

  app.get(
    '/admin/dev-mailbox',
    {
      schema: {
        tags,
        summary:
          'Development mailbox: messages kept instead of sent (no SMTP_URL / SMS_PROVIDER), newest first, in pages; level 6; 404 in production',
        querystring: devMailboxQuery,
        response: { 200: devMailboxView, 404: errorBody },
      },
    },
    async (request) => readDevMailbox(app.db, app.config, actorOf(request), request.query),
  );
}
