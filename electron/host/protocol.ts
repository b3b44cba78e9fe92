/**
 * Messages between the Electron main process and the desk host it forks as a utilityProcess.
 * The host is plain Node: in Electron it reports readiness through `process.parentPort`; under
 * `node` (browser mode, tests, headless desks) it prints the URL instead.
 */
export interface HostReady {
  type: 'ready';
  /** e.g. http://127.0.0.1:5170 */
  url: string;
  /** Per-launch secret; every tRPC request must carry it. */
  token: string;
}

export interface HostFailed {
  type: 'failed';
  /** i18n key and params of the AppError, or 'errors.internal'. */
  key: string;
  params: Record<string, string | number>;
  message: string;
}

export type HostToMain = HostReady | HostFailed;

export interface MainToHost {
  type: 'shutdown';
}

/** Environment the main process passes to the host. */
export interface HostEnv {
  FOYER_DATA_DIR: string;
  /** 0 picks a free port. */
  PORT: string;
  FOYER_RENDERER_DIR: string;
}
