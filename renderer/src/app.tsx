/**
 * The providers every window needs, outermost first: translations, antd (theme and locale that
 * follow the language), the query cache and the host's tRPC client, the URL, the sign-in (on a desk
 * enrolled with a server), the desk. Loaded by main.tsx once it has started the first screen's
 * requests.
 */
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, theme, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { i18n as I18n } from 'i18next';
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import type { Language } from '../../core/i18n/messages';
import { whenIdle } from './common/lazy-component';
import type { HostClient } from './host/trpc';
import { TRPCProvider } from './host/trpc';
import { createI18n } from './i18n/i18n';
import { useLanguage } from './i18n/use-language';
import { RouterProvider } from './routing/router';
import { AppShell } from './shell/app-shell';
import { DeskProvider } from './shell/desk-context';
import { NotConnected } from './shell/not-connected';
import { loadOtherPages } from './shell/pages';
import { SessionGate } from './sync/session-gate';

/** How long after the first screen the other pages' code is loaded (when the browser is idle). */
const OTHER_PAGES_AFTER_MS = 2_000;

const THEME: ThemeConfig = {
  algorithm: theme.defaultAlgorithm,
  // A calm teal. antd derives tints from the primary colour, but for a colour this dark they come
  // out grey, so the tints are given too.
  token: {
    colorPrimary: '#0f766e',
    colorPrimaryHover: '#14918a',
    colorPrimaryActive: '#0b5d57',
    colorPrimaryBg: '#e8f5f3',
    colorPrimaryBgHover: '#d2ebe7',
    colorPrimaryBorder: '#a7d7d0',
    colorPrimaryBorderHover: '#7cc3b9',
    colorPrimaryText: '#0f766e',
    colorPrimaryTextHover: '#14918a',
    colorPrimaryTextActive: '#0b5d57',
    colorLink: '#0f766e',
    colorLinkHover: '#14918a',
    colorLinkActive: '#0b5d57',
    borderRadius: 6,
  },
  components: { Layout: { headerBg: '#ffffff', siderBg: '#ffffff', headerPadding: '0 24px' } },
  // Component styles come from antd's prebuilt antd/dist/antd.css (imported in main.tsx) instead
  // of being generated and inserted by each component on its first render: that took 100–200 ms
  // of the first screen's main thread. The theme still applies: the prebuilt styles read the
  // tokens as CSS variables, which antd still writes for this theme at run time.
  zeroRuntime: true,
};

interface Props {
  i18n: I18n;
  queryClient: QueryClient;
  /** null when the page has no launch token: nothing can be loaded. */
  host: HostClient | null;
}

export function App({ i18n, queryClient, host }: Props) {
  return (
    <I18nextProvider i18n={i18n}>
      <Localized>
        {host ? (
          <QueryClientProvider client={queryClient}>
            <TRPCProvider trpcClient={host.trpc} queryClient={queryClient}>
              <RouterProvider>
                <SessionGate>
                  <DeskProvider>
                    <AppShell />
                  </DeskProvider>
                </SessionGate>
              </RouterProvider>
            </TRPCProvider>
          </QueryClientProvider>
        ) : (
          <NotConnected />
        )}
      </Localized>
    </I18nextProvider>
  );
}

/** antd and dayjs in the UI language; `<html lang>` too, so fonts and screen readers pick the right script. */
function Localized({ children }: { children: ReactNode }) {
  const { language } = useLanguage();
  useEffect(() => {
    document.documentElement.lang = language;
    dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  }, [language]);
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Renders the app into `root`. */
export function startApp(root: HTMLElement, { language, queryClient, host }: { language: Language; queryClient: QueryClient; host: HostClient | null }): void {
  createRoot(root).render(
    <StrictMode>
      <App i18n={createI18n(language)} queryClient={queryClient} host={host} />
    </StrictMode>,
  );
  whenIdle(() => void loadOtherPages(), OTHER_PAGES_AFTER_MS);
}
