/**
 * The shapes the calendar reads from the host, named once. They come from the host router's type
 * (the renderer may only `import type` it), so a change in scheduling.queries.ts shows up here as
 * a type error, not as a blank column.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { HostRouter } from '../../../electron/host/router/app.router';

type Out = inferRouterOutputs<HostRouter>['scheduling'];
type In = inferRouterInputs<HostRouter>['scheduling'];

export type CalendarData = Out['calendar'];
export type CalendarResource = CalendarData['resources'][number];
export type CalendarBooking = CalendarData['bookings'][number];
export type CalendarSession = CalendarData['sessions'][number];
export type BookingDetail = Out['booking'];
export type Catalog = Out['catalog'];
export type CatalogService = Catalog['services'][number];
export type CatalogResource = Catalog['resources'][number];
export type RosterEntry = Out['roster'][number];
export type FoundSlot = Out['findSlots'][number];
export type SeriesPreview = Out['previewSeries'];
export type SchedulingMutation = In['mutate'];
export type FindSlotsInput = In['findSlots'];
