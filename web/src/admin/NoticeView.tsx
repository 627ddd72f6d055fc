import type { Translate } from '../shared/i18n.js';
import { Notice } from '../shared/components.js';
import type { AdminNotice } from './use-action.js';

/** A notice, with a secret shown once in a field the admin can select and copy. */
export function NoticeView({ notice, t, onDismiss }: { notice: AdminNotice | null; t: Translate; onDismiss(): void }) {
  if (!notice) return null;
  return (
    <Notice kind={notice.kind} t={t} onDismiss={onDismiss}>
      <p>{notice.text}</p>
      {notice.secret?.includes('\n') && (
        // A key file: several lines, copied whole.
        <textarea
          class="secret"
          readOnly
          rows={8}
          value={notice.secret}
          aria-label={notice.text}
          data-testid="secret"
          onFocus={(e) => e.currentTarget.select()}
        />
      )}
      {notice.secret && !notice.secret.includes('\n') && (
        <input
          class="secret"
          readOnly
          value={notice.secret}
          aria-label={notice.text}
          data-testid="secret"
          onFocus={(e) => e.currentTarget.select()}
        />
      )}
    </Notice>
  );
}
