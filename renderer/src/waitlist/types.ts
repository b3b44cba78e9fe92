/**
 * The waitlist's shapes as the host sends them (from the host router's type, which the renderer may
 * only `import type`), so a change in scheduling.queries.ts shows up here as a type error.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { HostRouter } from '../../../electron/host/router/app.router';

type Out = inferRouterOutputs<HostRouter>['scheduling'];
type In = inferRouterInputs<HostRouter>['scheduling'];

export type WaitlistEntry = Out['waitlist'][number];
export type WaitlistOffer = NonNullable<WaitlistEntry['offer']>;
export type WaitlistStatus = WaitlistEntry['status'];
export type WaitlistQuery = In['waitlist'];
