/** What starting a service returns: where it listens (when it serves HTTP) and how to stop it gracefully. */
export interface RunningService {
  /** The API, when the role serves it. */
  url: string | null;
  /** Where /healthz, /readyz and /metrics answer: the API, or a worker-only process's own port. */
  healthUrl: string | null;
  close(): Promise<void>;
}

export type ServiceRole = 'all' | 'api' | 'worker';
