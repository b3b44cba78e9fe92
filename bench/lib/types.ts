/** What a benchmark file exports and what the runner records. */

export type Log = (line: string) => void;

/** Upper bounds a figure must stay under; every bound given must hold for the figure to pass. */
export interface Targets {
  p50?: number;
  p99?: number;
}

export interface ClassFigure {
  p50: number;
  p99: number;
  samples: number;
  /** Mean number of results returned, to show the class really matches (search only). */
  hits?: number;
}

/** One measured figure, as a benchmark returns it (milliseconds). */
export interface Figure {
  name: string;
  unit: 'ms';
  p50: number;
  p99?: number;
  target: Targets;
  samples: number;
  byClass?: Record<string, ClassFigure>;
  note?: string;
}

/** A figure as written to bench/results/latest.json. */
export interface RecordedFigure extends Figure {
  benchmark: string;
  pass: boolean;
  date: string;
  loadavg1: number;
}

export interface Benchmark {
  /** The name `--only` takes; the file is bench/<name>.ts. */
  name: string;
  run(log: Log): Promise<Figure[]>;
}

export interface Results {
  date: string;
  machine: { cpus: number; cpuModel: string; memGiB: number; node: string; platform: string };
  figures: RecordedFigure[];
}

/** Whether every target of a figure is met. */
export function meetsTargets(f: Pick<Figure, 'p50' | 'p99' | 'target'>): boolean {
  if (f.target.p50 !== undefined && !(f.p50 < f.target.p50)) return false;
  if (f.target.p99 !== undefined && !(f.p99 !== undefined && f.p99 < f.target.p99)) return false;
  return true;
}
