/**
 * Validation of SOP text that arrives over the network, off the event loop. `validateSop` is pure
 * and synchronous; on a file made to be slow it would hold the one thread that answers every other
 * request and fires every deadline. Here it runs in worker threads, each with a time limit and a
 * heap limit: a validation that passes either is stopped and the file refused with a diagnostic,
 * while the server keeps answering.
 *
 * A small pool, not one worker per request: a worker needs ~1–2 s to start (it loads the
 * TypeScript sources through tsx, then ajv compiles the SOP schema), which would double the time of
 * an ordinary validation. Workers start on first use and stay; one that is stopped for taking too
 * long is replaced on the next request. At most `workers` validations run at once and at most
 * `maxQueued` wait; the next one is refused as busy. So memory stays bounded by
 * workers × memoryMb plus the queued texts (each at most what the body parser admits), however
 * many uploads arrive at once.
 *
 * @example
 * const validator = createSopValidator({ timeoutMs: 20_000, workers: 2, maxQueued: 16, memoryMb: 256 });
 * const { diagnostics, definition } = await validator.validate(text, 'sop.yaml');
 * await validator.close();
 */
import { Worker } from 'node:worker_threads';
import { isOverLimit, type Diagnostic, type ValidationResult } from '../engine/index.js';

export interface SopValidatorOptions {
  /** Longest one validation may run; counted from when its worker is ready. */
  timeoutMs: number;
  /** Worker threads, i.e. validations running at once. */
  workers: number;
  /** Validations that may wait for a worker. */
  maxQueued: number;
  /** Heap limit of one worker, in MB. */
  memoryMb: number;
}

export interface SopValidator {
  /** Resolves with diagnostics (a time or memory limit is one), rejects only if a worker cannot run at all. */
  validate(source: string, file: string): Promise<ValidationResult>;
  /** Validations running in a worker now, and waiting for one. */
  activity(): { running: number; queued: number };
  /** Stops every worker; validations not finished are rejected. */
  close(): Promise<void>;
}

/** Every worker is busy and the queue is full. */
export class ValidatorBusyError extends Error {
  constructor() {
    super('Alur is checking too many SOP files at once; try again in a few seconds');
    this.name = 'ValidatorBusyError';
  }
}

/** Codes of the diagnostics this module adds when a worker passes a limit. */
export const WORKER_LIMIT_CODES: ReadonlySet<string> = new Set(['validation-timeout', 'validation-memory']);

/** Whether a file was refused for its size or cost (a limit of the engine or of the worker) rather than judged. */
export function isRefusedForSize(diagnostics: readonly Diagnostic[]): boolean {
  return isOverLimit(diagnostics) || diagnostics.some((d) => WORKER_LIMIT_CODES.has(d.code));
}

export interface WorkerRequest {
  source: string;
  file: string;
}

export type WorkerReply = { type: 'ready' } | { type: 'result'; result: ValidationResult };

const ENTRY = new URL('./validation-worker-entry.js', import.meta.url);

interface Job extends WorkerRequest {
  resolve(result: ValidationResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Set once the slot is out of the pool (stopped, crashed or closed); its events are ignored. */
  gone: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export function createSopValidator(options: SopValidatorOptions): SopValidator {
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let closed = false;

  const refusal = (job: Job, code: string, message: string): ValidationResult => ({
    file: job.file,
    diagnostics: [{ file: job.file, line: 1, column: 1, severity: 'error', code, message, path: '' }],
  });

  const release = (slot: Slot): Job | undefined => {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  };

  /** Takes a slot out of the pool for good and stops its thread. */
  const discard = (slot: Slot): Job | undefined => {
    const job = release(slot);
    slot.gone = true;
    slots.delete(slot);
    void slot.worker.terminate();
    return job;
  };

  const startTimer = (slot: Slot): void => {
    slot.timer = setTimeout(() => {
      const job = discard(slot);
      job?.resolve(refusal(job, 'validation-timeout', `Alur stopped checking this file after ${seconds(options.timeoutMs)}, the longest one check may take on this server; a real SOP is checked in well under a second, so this file is far larger or more intricate than an SOP needs: split it into several SOPs`));
      dispatch();
    }, options.timeoutMs);
  };

  const assign = (slot: Slot, job: Job): void => {
    slot.job = job;
    slot.worker.ref();
    slot.worker.postMessage({ source: job.source, file: job.file } satisfies WorkerRequest);
    if (slot.ready) startTimer(slot);
  };

  const onFailure = (slot: Slot, error: Error & { code?: string }): void => {
    if (slot.gone) return;
    const job = discard(slot);
    if (job && error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      job.resolve(refusal(job, 'validation-memory', `Alur stopped checking this file when it needed more than ${options.memoryMb} MB of memory, the most one check may use on this server; a real SOP needs a few MB, so split it into several SOPs`));
    } else {
      job?.reject(new Error(`the SOP validation worker failed: ${error.message}`, { cause: error }));
    }
    dispatch();
  };

  const spawn = (): Slot => {
    const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: options.memoryMb } });
    const slot: Slot = { worker, ready: false, gone: false };
    slots.add(slot);
    worker.on('message', (reply: WorkerReply) => {
      if (slot.gone) return;
      if (reply.type === 'ready') {
        slot.ready = true;
        if (slot.job) startTimer(slot);
        return;
      }
      release(slot)?.resolve(reply.result);
      worker.unref();
      dispatch();
    });
    worker.on('error', (error) => onFailure(slot, error));
    worker.on('exit', (code) => onFailure(slot, new Error(`the worker exited with code ${code}`)));
    return slot;
  };

  const idleSlot = (): Slot | undefined => {
    for (const slot of slots) if (!slot.job) return slot;
    return slots.size < options.workers ? spawn() : undefined;
  };

  const dispatch = (): void => {
    while (!closed && queue.length > 0) {
      const slot = idleSlot();
      if (!slot) return;
      assign(slot, queue.shift()!);
    }
  };

  return {
    validate(source, file) {
      return new Promise<ValidationResult>((resolve, reject) => {
        if (closed) {
          reject(new Error('the SOP validator is closed'));
          return;
        }
        const busy = slots.size >= options.workers && [...slots].every((s) => s.job) && queue.length >= options.maxQueued;
        if (busy) {
          reject(new ValidatorBusyError());
          return;
        }
        queue.push({ source, file, resolve, reject });
        dispatch();
      });
    },
    activity() {
      return { running: [...slots].filter((slot) => slot.job).length, queued: queue.length };
    },
    async close() {
      closed = true;
      const stopping = new Error('Alur is shutting down; the SOP was not checked');
      for (const job of queue.splice(0)) job.reject(stopping);
      const exits = [...slots].map((slot) => {
        const exited = new Promise((resolve) => slot.worker.once('exit', resolve));
        discard(slot)?.reject(stopping);
        return exited;
      });
      await Promise.all(exits);
    },
  };
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
}
