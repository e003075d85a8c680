/** In-process fan-out of case changes (commits and overdue steps) to live listeners such as SSE clients. */
export interface CaseChange {
  kind: 'case.updated' | 'step.overdue' | 'adapter.progress';
  caseId: string;
  organizationId: string | null;
  sopId: string;
  /** The pelaksana roles of the case's SOP version: who may watch it besides the overseers. */
  sopRoles: string[];
  seq: number;
  eventType: string;
  status: string;
  activeSteps: string[];
  step?: string;
  at: string;
  /** For `adapter.progress`: how far a running adapter is ("12/40 kamera diperiksa"). */
  progress?: { adapter: string; done: number; total: number; message: string };
  /** Set when the change was made by another Alur process (relayed through PostgreSQL). */
  origin?: string;
}

export class ChangeFeed {
  private readonly listeners = new Set<(change: CaseChange) => void>();

  subscribe(listener: (change: CaseChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(change: CaseChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
