/**
 * Live changes over server-sent events (GET /api/v1/events): one EventSource per page, shared by
 * every component that listens. The browser reconnects by itself after a drop.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

export interface CaseChange {
  kind: 'case.updated' | 'step.overdue';
  caseId: string;
  sopId: string;
  seq: number;
  eventType: string;
  status: string;
  activeSteps: string[];
  step?: string;
  at: string;
}

type Listener = (change: CaseChange) => void;

interface Live {
  connected: boolean;
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<Live | null>(null);

export function LiveProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource('/api/v1/events');
    const dispatch = (message: MessageEvent<string>) => {
      const change = JSON.parse(message.data) as CaseChange;
      for (const listener of listeners.current) listener(change);
    };
    source.addEventListener('case.updated', dispatch);
    source.addEventListener('step.overdue', dispatch);
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, []);
  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useMemo(() => ({ connected, subscribe }), [connected, subscribe]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** Calls `listener` on every change this user may see (keep it stable or cheap). */
export function useLiveChanges(listener: Listener): boolean {
  const live = useContext(LiveContext);
  const latest = useRef(listener);
  latest.current = listener;
  const subscribe = live?.subscribe;
  useEffect(() => subscribe?.((change) => latest.current(change)), [subscribe]);
  return live?.connected ?? false;
}
