/**
 * A destructive action asks first: the button turns into a question with a confirm and a cancel
 * button in place (no browser dialog; the focus moves to the confirm button, which the question describes).
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';

interface Props {
  /** The button's words, e.g. "Delete". */
  label: string;
  /** What the button names for a screen reader, e.g. "Delete Counter 2". */
  ariaLabel?: string;
  /** The question, e.g. "Delete Counter 2? Its operators are signed out." */
  question: string;
  disabled?: boolean;
  t: Translate;
  onConfirm(): void;
}

export function ConfirmButton({ label, ariaLabel, question, disabled, t, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" class="button danger" disabled={disabled} aria-label={ariaLabel} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span class="confirm">
      <span class="confirm-question" id={questionId}>
        {question}
      </span>
      <button
        ref={confirmRef}
        type="button"
        class="button danger"
        aria-describedby={questionId}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {t('confirm.yes', { action: label.charAt(0).toLocaleLowerCase() + label.slice(1) })}
      </button>
      <button type="button" class="button secondary" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
