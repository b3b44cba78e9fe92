/**
 * What this desk is: its organization, its sites and the site the receptionist works at, from
 * `system.info`. The chosen site is remembered on this PC; by default it is the desk's own site.
 * Times on screen are shown in the chosen site's time zone.
 */
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { HostRouter } from '../../../electron/host/router/app.router';
import { useTRPC } from '../host/trpc';

export type SystemInfo = inferRouterOutputs<HostRouter>['system']['info'];
export type Site = SystemInfo['sites'][number];

const SITE_STORAGE_KEY = 'foyer.siteId';

interface DeskValue {
  info: SystemInfo | undefined;
  site: Site | null;
  selectSite(id: string): void;
  /** The zone times are shown in: the site's, or the PC's until the sites are known. */
  timeZone: string;
}

const DeskContext = createContext<DeskValue | null>(null);

function storedSiteId(): string | null {
  try {
    return window.localStorage.getItem(SITE_STORAGE_KEY);
  } catch {
    return null;
  }
}

export function DeskProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const { data: info } = useQuery(trpc.system.info.queryOptions());
  const [chosenId, setChosenId] = useState<string | null>(storedSiteId);

  const selectSite = useCallback((id: string) => {
    setChosenId(id);
    try {
      window.localStorage.setItem(SITE_STORAGE_KEY, id);
    } catch {
      // Not remembered across restarts, still used now.
    }
  }, []);

  const value = useMemo<DeskValue>(() => {
    const sites = info?.sites ?? [];
    const site =
      sites.find((s) => s.id === chosenId) ?? sites.find((s) => s.id === info?.deskSiteId) ?? sites[0] ?? null;
    return { info, site, selectSite, timeZone: site?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone };
  }, [info, chosenId, selectSite]);

  return <DeskContext.Provider value={value}>{children}</DeskContext.Provider>;
}

export function useDesk(): DeskValue {
  const value = useContext(DeskContext);
  if (!value) throw new Error('useDesk outside DeskProvider');
  return value;
}
