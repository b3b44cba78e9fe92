// Types for electron-binary.mjs, so TypeScript tests can import the plain-JS script.
export declare const BROWSER_FALLBACK_NOTICE: string;

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export interface FindElectronBinaryOptions {
  /** Loads the `electron` package; defaults to `import('electron')`. */
  importElectron?: () => Promise<unknown>;
  /** Defaults to fs.existsSync. */
  exists?: (file: string) => boolean;
}

export declare function findElectronBinary(options?: FindElectronBinaryOptions): Promise<ElectronBinary>;
