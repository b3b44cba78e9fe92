/**
 * The renderer's entry: one i18n instance, one query cache and one host client per window, made
 * here and handed down (nothing else is module-level state).
 */
import { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { appErrorOf } from './host/app-error';
import { hostConnectionOfPage } from './host/host-connection';
import { createHostClient } from './host/trpc';
import { createI18n } from './i18n/i18n';
import { detectLanguage, LANGUAGE_STORAGE_KEY } from './i18n/language';
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
const i18n = createI18n(language);

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

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App i18n={i18n} queryClient={queryClient} host={host} />
  </StrictMode>,
);
