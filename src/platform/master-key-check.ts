/**
 * The shared-secrets check at start (docs/operations.md, several hosts): every process of a
 * deployment must use the same QUEUEBELL_MASTER_KEY, or one host cannot open what another sealed
 * — webhook signing secrets, provider credentials — and fails later, message by message. A service
 * opens one sealed value of its database at start and, if the key does not fit, refuses to start
 * with a line saying so.
 */
export class MasterKeyMismatchError extends Error {
  constructor(database: string, what: string) {
    super(
      `this host's master key cannot open the ${what} stored in ${database}: they were sealed with another key. ` +
        'Every host of a deployment must share QUEUEBELL_MASTER_KEY (and QUEUEBELL_ADMIN_TOKEN): copy them from the first host, see docs/operations.md',
    );
    this.name = 'MasterKeyMismatchError';
  }
}

/** `sample` is one sealed value from the database (null when none is stored yet); `open` must throw when the key does not fit. */
export function checkMasterKeyOpens(sample: string | null, open: (sealed: string) => unknown, database: string, what: string): void {
  if (sample === null) return;
  try {
    open(sample);
  } catch {
    throw new MasterKeyMismatchError(database, what);
  }
}
