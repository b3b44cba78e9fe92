/**
 * A very small router over the History API: the current location lives in React state, `navigate`
 * pushes (or replaces) a history entry, and the back/forward buttons arrive as `popstate`. The
 * query string is kept across navigation (it carries `?lang=` for a forced language).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { parseRoute, type Route } from './routes';

export interface NavigateOptions {
  replace?: boolean;
}

interface RouterValue {
  route: Route;
  pathname: string;
  navigate(path: string, options?: NavigateOptions): void;
}

const RouterContext = createContext<RouterValue | null>(null);

export function RouterProvider({ children }: { children: ReactNode }) {
  const [pathname, setPathname] = useState(() => window.location.pathname);

  useEffect(() => {
    const onPop = () => setPathname(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((path: string, options: NavigateOptions = {}) => {
    const url = path.includes('?') ? path : path + window.location.search;
    if (options.replace) window.history.replaceState(null, '', url);
    else if (window.location.pathname + window.location.search !== url) window.history.pushState(null, '', url);
    setPathname(window.location.pathname);
  }, []);

  const value = useMemo(() => ({ route: parseRoute(pathname), pathname, navigate }), [pathname, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}
