/**
 * What every part of the calendar (grid, drawers, find-a-slot) needs about the desk: the site,
 * its zone and booking grid, the catalogue, what the receptionist's role may do, and one way to
 * write (a scheduling mutator, with the overlap and blacklist questions answered by dialogs).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import type { Language } from '../../../core/i18n/messages';
import { can, type Role } from '../../../core/permissions';
import { useTRPC, useTRPCClient } from '../host/trpc';
import { useLanguage } from '../i18n/use-language';
import type { Site } from '../shell/desk-context';
import { writeWithQuestions, type WriteExtras, type WriteOutcome } from './booking-confirmations';
import type { Catalog, SchedulingMutation } from './types';
import { useQuestions } from './use-questions';

export interface CalendarDesk {
  siteId: string;
  timeZone: string;
  granularityMinutes: number;
  catalog: Catalog | undefined;
  language: Language;
  canWrite: boolean;
  /** May book a blacklisted customer with a reason ('booking.overrideBlacklist'). */
  canOverride: boolean;
}

interface Writes {
  /** Runs a write, asking the questions it raises; refreshes the calendar after a success. */
  write<T>(run: (extras: WriteExtras) => Promise<T>): Promise<WriteOutcome<T>>;
  /** One scheduling mutator call. */
  mutate(m: SchedulingMutation): Promise<unknown>;
}

const DeskContext = createContext<(CalendarDesk & Writes) | null>(null);

export function CalendarDeskProvider({ desk, children }: { desk: CalendarDesk; children: ReactNode }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const questions = useQuestions();
  const { canOverride } = desk;

  const write = useCallback(
    async <T,>(run: (extras: WriteExtras) => Promise<T>): Promise<WriteOutcome<T>> => {
      const outcome = await writeWithQuestions(run, questions, canOverride);
      // The host's change event refreshes every window; this makes sure this one does even while
      // the event socket is reconnecting. Data that did not change keeps its identity (no redraw).
      if (outcome.ok) void queryClient.invalidateQueries({ queryKey: trpc.scheduling.pathKey() });
      return outcome;
    },
    [questions, canOverride, queryClient, trpc],
  );
  const mutate = useCallback((m: SchedulingMutation) => client.scheduling.mutate.mutate(m), [client]);

  const value = useMemo(() => ({ ...desk, write, mutate }), [desk, write, mutate]);
  return <DeskContext.Provider value={value}>{children}</DeskContext.Provider>;
}

/** The desk of one site (its catalogue, zone and grid; what the role may do) for everything inside. */
export function SiteDeskProvider({ site, role, children }: { site: Site; role: Role; children: ReactNode }) {
  const trpc = useTRPC();
  const { language } = useLanguage();
  const catalog = useQuery(trpc.scheduling.catalog.queryOptions({ siteId: site.id }));
  const desk = useMemo<CalendarDesk>(
    () => ({
      siteId: site.id,
      timeZone: catalog.data?.site.timeZone ?? site.timeZone,
      granularityMinutes: catalog.data?.site.granularityMinutes ?? 15,
      catalog: catalog.data,
      language,
      canWrite: can(role, 'booking.write'),
      canOverride: can(role, 'booking.overrideBlacklist'),
    }),
    [site, catalog.data, language, role],
  );
  return <CalendarDeskProvider desk={desk}>{children}</CalendarDeskProvider>;
}

export function useCalendarDesk(): CalendarDesk & Writes {
  const value = useContext(DeskContext);
  if (!value) throw new Error('useCalendarDesk outside CalendarDeskProvider');
  return value;
}
