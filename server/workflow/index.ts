// PLACEHOLDER until the closed-loop work lands: risk tasks, assignment, reviews, KPIs.
import type { Observable } from 'rxjs';
import type { Router } from 'express';
import type { AppContext } from '../context.js';
import type { TypedServer } from '../socket/index.js';
import type { Alert } from '../../streams/types.js';

export interface Workflow { routers: Router[]; stop(): Promise<void> }

export async function startWorkflow(_ctx: AppContext, _io: TypedServer, _alerts$: Observable<Alert[]>): Promise<Workflow> {
  return { routers: [], async stop() {} };
}
