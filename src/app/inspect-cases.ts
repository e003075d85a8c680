/** `alur serve --inspect`: every committed case event goes to a `CaseObserver` (the Stately inspector). */
import type { CaseObserver, ObservedState } from '../engine/index.js';
import type { Alur } from './alur.js';

export function observeCommittedCases(alur: Pick<Alur, 'cases' | 'versions'>, observer: CaseObserver): () => void {
  return alur.cases.onCommitted(({ caseId, event, case: row }) => {
    // The command that committed this event compiled its version, so the registry has it.
    const version = alur.versions.peek(row.sopVersionId);
    if (!version) return;
    const stored = row.snapshot as { value: unknown; context: unknown };
    const state: ObservedState = { value: stored.value, context: stored.context, status: row.status };
    // A case started before the inspector was attached is introduced at its first change.
    observer.caseSeen(caseId, version.machine, state);
    if (event.type !== 'case.started') {
      observer.caseChanged(caseId, { ...(event.payload as Record<string, unknown>), type: event.type }, state);
    }
  });
}
