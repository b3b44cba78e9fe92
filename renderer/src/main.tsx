/**
 * The renderer's entry: one i18n instance, one query cache and one host client per window, made
 * here and handed down (nothing else is module-level state).
 *
 * This module and what it imports are kept small, because the first screen's data is asked for
 * from here: the desk info, the route's page code and its data (see shell/pages.tsx) are started
 * before the rest of the app (React DOM, antd, the shell) is loaded and run, so the host answers
 * while the browser is still busy with that code. The first render waits for the page's code, so
 * the first screen never shows a loading placeholder for a page that is about to arrive.
 */
import { QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import type { HostRouter } from '../../electron/host/router/app.router';
import { appErrorOf } from './host/app-error';
import { hostConnectionOfPage } from './host/host-connection';
import { createHostClient } from './host/trpc';
import { detectLanguage, LANGUAGE_STORAGE_KEY } from './i18n/language';
import { parseRoute } from './routing/routes';
import { startFirstScreen } from './shell/pages';
// antd's styles as a static file, before ours (see zeroRuntime in app.tsx).
import 'antd/dist/antd.css';
import './styles.css';

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

const language = detectLanguage({ search: window.location.search, stored: storedLanguage(), preferred: navigator.languages });
document.documentElement.lang = language;

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Data changes only through the host, which tells us (changes.onChange → invalidate), so a
      // query stays fresh until then; no refetch on focus or on a timer.
      staleTime: Infinity,
      refetchOnWindowFocus: false,
      // Retry only when the host did not answer; an answer with an AppError is final.
      retry: (failures, error) => failures < 2 && appErrorOf(error).key === 'errors.hostUnreachable',
    },
    mutations: { retry: false },
  },
});

const connection = hostConnectionOfPage();
const host = connection ? createHostClient(connection) : null;
const firstPage = host
  ? startFirstScreen(parseRoute(window.location.pathname), queryClient, createTRPCOptionsProxy<HostRouter>({ client: host.trpc, queryClient }), window.location.search)
  : Promise.resolve();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const [{ startApp }] = await Promise.all([import('./app'), firstPage.catch(() => undefined)]);
startApp(root, { language, queryClient, host });
