/**
 * The Stately inspector (`@statelyai/inspect`, XState 5's successor of `@xstate/inspect`) for
 * developers and process owners: a local relay that the inspector page in a browser connects to,
 * and a `CaseObserver` that sends each watched case's machine, events and states to it.
 *
 * Alur drives cases with XState's pure `transition()` (no live actor per case), so the inspector is
 * told of each case by hand: the compiled machine once, then every recorded event and the state
 * after it — the same thing an actor's `inspect` option would report.
 */
import { createWebSocketInspector } from '@statelyai/inspect';
import { createInspectorServer } from '@statelyai/inspect/server';
import type { CaseObserver, ObservedState } from '../../engine/index.js';

export interface StatelyInspector {
  observer: CaseObserver;
  /** The page to open in a browser: it embeds the Stately inspector UI (stately.ai, loaded by that browser). */
  pageUrl: string;
  close(): void;
}

/** The library's own snapshot statuses. */
function snapshotOf(state: ObservedState) {
  return { value: state.value, context: state.context, status: state.status === 'active' ? 'active' : 'done' } as const;
}

/**
 * Start the relay on `port` and connect an inspector to it over loopback. The relay is the
 * library's: it listens on every interface of that port, so use it on a development machine.
 */
export function openStatelyInspector(port: number): StatelyInspector {
  const server = createInspectorServer({ port, autoOpen: false });
  const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` });
  const seen = new Set<string>();
  // An observer must never fail a command: an inspector hiccup is logged by nobody and ignored.
  const quietly = (report: () => void) => {
    try {
      report();
    } catch {
      /* the inspector is a development aid; the case goes on */
    }
  };
  const observer: CaseObserver = {
    caseSeen(caseId, machine, state) {
      if (seen.has(caseId)) return;
      seen.add(caseId);
      quietly(() => inspector.actor({ sessionId: caseId, logic: machine } as never, snapshotOf(state)));
    },
    caseChanged(caseId, event, state) {
      quietly(() => {
        inspector.event(caseId, event);
        inspector.snapshot(caseId, snapshotOf(state), { event });
      });
    },
  };
  return {
    observer,
    pageUrl: `http://localhost:${port}`,
    close() {
      inspector.stop();
      server.stop();
    },
  };
}
