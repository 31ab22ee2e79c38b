import { z } from 'zod';
import { emptyBodySchema } from '../../common/contracts/case-schemas.ts';
import { idSchema } from '../../common/contracts/schemas.ts';
import {
  approveSettlementSchema,
  costControlView,
  saveSettlementSchema,
  settlementView,
} from '../../common/contracts/settlement-api.ts';
import { actorOf } from '../http/authenticate.ts';
import type { App } from '../http/types.ts';
import { getCostControl } from './cost-control.ts';
import { approveSettlement, getSettlement, newSettlementVersion, saveSettlement } from './settlement.ts';

const params = z.object({ id: idSchema });
const tags = ['economy'];

/** Cost control and the customer settlement of a case (issue 20). */
export async function settlementRoutes(app: App): Promise<void> {
  app.get(
    '/cases/:id/cost-control',
    {
      schema: {
        tags,
        summary: 'Cost control: budget, quotes, invoices and approved invoices per partner office, in øre',
        params,
        response: { 200: costControlView },
      },
    },
    async (request) => getCostControl(app.db, actorOf(request), request.params.id),
  );
  app.get(
    '/cases/:id/settlement',
    {
      schema: {
        tags,
        summary: 'The customer settlement: the current version with its computed amounts, and its history',
        params,
        response: { 200: settlementView },
      },
    },
    async (request) => getSettlement(app.db, actorOf(request), request.params.id),
  );
  app.put(
    '/cases/:id/settlement',
    {
      schema: {
        tags,
        summary: 'Save the draft of the customer settlement: its lines and the deductible (level 2)',
        params,
        body: saveSettlementSchema,
        response: { 200: settlementView },
      },
    },
    async (request) => saveSettlement(app.db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/cases/:id/settlement/approve',
    {
      schema: {
        tags,
        summary: 'Approve the draft of the customer settlement; it is locked and its report made (level 4)',
        params,
        body: approveSettlementSchema,
        response: { 200: settlementView },
      },
    },
    async (request) => approveSettlement(app.db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/cases/:id/settlement/new-version',
    {
      schema: {
        tags,
        summary: 'Make a new draft version from the approved customer settlement (level 2)',
        params,
        body: emptyBodySchema,
        response: { 200: settlementView },
      },
    },
    async (request) => newSettlementVersion(app.db, actorOf(request), request.params.id),
  );
}
