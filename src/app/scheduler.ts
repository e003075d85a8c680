/**
 * The background loop: fire due deadlines and run adapter jobs, at start-up (so deadlines that
 * came due while Alur was down fire at once) and then every interval. Stopping waits for the
 * tick in flight.
 */
export interface Scheduler {
  /** Run one tick now (also used by tests instead of waiting for the interval). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(work: () => Promise<void>, intervalMs: number, onError: (error: unknown) => void): Scheduler {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = (): Promise<void> => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await work();
      } catch (error) {
        onError(error);
      }
    });
    return running;
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
