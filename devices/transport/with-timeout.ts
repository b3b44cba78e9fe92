/**
 * Bounding a promise in time. The promise itself cannot be cancelled (a serial open or a tcdrain
 * runs on a libuv thread until the OS returns), so the caller is told at the deadline and whatever
 * the promise resolves to later is handed to `onLate` to release it (close a late port).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
  onLate?: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(onTimeout());
    }, ms);
    promise.then(
      (value) => {
        if (done) {
          onLate?.(value);
          return;
        }
        done = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
