/**
 * The UI's only way to the server: the public API under /api/v1, with the session cookie and the
 * CSRF token from login. Errors arrive as problem+json and are thrown as {@link ApiError}, keeping
 * the engine's refusals (code, message, field) so a page can show each next to the field at fault.
 */
const BASE = '/api/v1';
const CSRF_KEY = 'alur.csrf';

export interface Refusal {
  code: string;
  /** The English message, for API users; the UI words the refusal from code, variant and params. */
  message: string;
  field?: string;
  variant?: string;
  params?: Record<string, string | number>;
}

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  code: string;
  path?: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
  refusals?: Refusal[];
  diagnostics?: Diagnostic[];
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem, readonly retryAfter?: number) {
    super(problem.detail);
    this.name = 'ApiError';
  }
}

/** Called when the server says the session is gone, so the app can show the login page. */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export function csrfToken(): string | null {
  try {
    return sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

export function rememberCsrf(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    // Without storage the token lives only as long as the page (a reload asks to log in again).
    memoryCsrf = token;
  }
}
let memoryCsrf: string | null = null;

/** A random key for Idempotency-Key: crypto.randomUUID needs a secure context, which a LAN address is not. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const csrf = csrfToken() ?? memoryCsrf;
  const response = await fetch(`${BASE}${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' && csrf ? { 'x-csrf-token': csrf } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem = (json ?? { type: 'about:blank', title: response.statusText, status: response.status, detail: response.statusText }) as Problem;
    if (response.status === 401 && path !== '/auth/login') onUnauthenticated();
    const retryAfter = Number(response.headers.get('retry-after')) || undefined;
    throw new ApiError(response.status, problem, retryAfter);
  }
  return json as T;
}

/** Text (CSV) from the API, e.g. the timing export. */
export async function apiText(path: string): Promise<string> {
  const response = await fetch(`${BASE}${path}`, { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, { type: 'about:blank', title: response.statusText, status: response.status, detail: await response.text() });
  return response.text();
}
