/** A row of an admin list that can be changed in place or deleted after asking, and its form's buttons. */
import type { ComponentChildren } from 'preact';
import type { Translate } from '../shared/i18n.js';
import { ConfirmButton } from './ConfirmButton.js';

interface RowProps {
  /** What the row shows. */
  children: ComponentChildren;
  /** The row's name, as the buttons name it for a screen reader ("Change Counter 2"). */
  name: string;
  /** The question asked before deleting. */
  confirmDelete: string;
  busy: boolean;
  t: Translate;
  onEdit(): void;
  onDelete(): void;
}

export function EditableRow({ children, name, confirmDelete, busy, t, onEdit, onDelete }: RowProps) {
  return (
    <div class="row-with-actions">
      <span class="wrap">{children}</span>
      <span class="row-actions">
        <button type="button" class="button secondary" aria-label={t('row.editOf', { name })} onClick={onEdit}>
          {t('row.edit')}
        </button>
        <ConfirmButton
          label={t('delete')}
          ariaLabel={t('row.deleteOf', { name })}
          question={confirmDelete}
          disabled={busy}
          t={t}
          onConfirm={onDelete}
        />
      </span>
    </div>
  );
}

/** A form's submit button, and a cancel button when it edits a row in place. */
export function FormButtons({ label, busy, t, onCancel }: { label: string; busy: boolean; t: Translate; onCancel?: () => void }) {
  return (
    <div class="actions">
      <button type="submit" class="button" disabled={busy}>
        {label}
      </button>
      {onCancel && (
        <button type="button" class="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
    </div>
  );
}
