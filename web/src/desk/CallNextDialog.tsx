/**
 * Call next while the counter still has a called ticket (409 ENDPOINT_BUSY): the operator says what
 * becomes of it before the next one is called (docs/design.md §Moving tickets).
 */
import type { Translate } from '../shared/i18n.js';
import type { PreviousTicket } from './api.js';

interface Props {
  label: string;
  t: Translate;
  onChoose(previous: PreviousTicket): void;
  onClose(): void;
}

export function CallNextDialog({ label, t, onChoose, onClose }: Props) {
  const choices: PreviousTicket[] = ['done', 'no_show', 'keep'];
  return (
    <div class="dialog-backdrop">
      <div class="card dialog" role="dialog" aria-modal="true" aria-labelledby="call-next-title" data-testid="call-next-dialog">
        <h2 id="call-next-title">{t('busy.title', { label })}</h2>
        <p>{t('busy.question', { label })}</p>
        <div class="actions">
          {choices.map((choice) => (
            <button key={choice} type="button" class={`button ${choice === 'keep' ? 'secondary' : ''}`} onClick={() => onChoose(choice)}>
              {t(`busy.${choice}`, { label })}
            </button>
          ))}
          <button type="button" class="link-button" onClick={onClose}>
            {t('busy.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
