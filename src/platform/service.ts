/** What starting a service returns: where it listens (when it serves HTTP) and how to stop it gracefully. */
export interface RunningService {
  url: string | null;
  close(): Promise<void>;
}

export type ServiceRole = 'all' | 'api' | 'worker';
