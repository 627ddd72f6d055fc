/**
 * Move a waiting ticket (docs/design.md §Moving tickets): to another of the counter's queues, or kept
 * for this counter only, at its place in line or at the end.
 */
import { useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import type { TransferPlace, TransferTarget } from './api.js';

interface Props {
  label: string;
  /** The counter's queues other than the ticket's own. */
  queues: { queueId: string; name: string }[];
  counterId: string;
  t: Translate;
  onMove(target: TransferTarget, place: TransferPlace): void;
  onClose(): void;
}

/** "counter" keeps the ticket in its queue for this counter only; any other value is a queue id. */
const THIS_COUNTER = 'counter';

export function MoveDialog({ label, queues, counterId, t, onMove, onClose }: Props) {
  const [to, setTo] = useState(queues[0]?.queueId ?? THIS_COUNTER);
  const [place, setPlace] = useState<TransferPlace>('keep');
  const submit = (event: Event) => {
    event.preventDefault();
    onMove(to === THIS_COUNTER ? { toEndpointId: counterId } : { toQueueId: to }, place);
  };
  return (
    <div class="dialog-backdrop">
      <form class="card dialog" role="dialog" aria-modal="true" aria-labelledby="move-title" data-testid="move-dialog" onSubmit={submit}>
        <h2 id="move-title">{t('move.title', { label })}</h2>
        <label for="move-to">{t('move.to')}</label>
        <select id="move-to" value={to} onChange={(event) => setTo(event.currentTarget.value)}>
          {queues.map((queue) => (
            <option key={queue.queueId} value={queue.queueId}>
              {queue.name}
            </option>
          ))}
          <option value={THIS_COUNTER}>{t('move.thisCounter')}</option>
        </select>
        <fieldset>
          <legend>{t('move.place')}</legend>
          {(['keep', 'end'] as const).map((choice) => (
            <label key={choice}>
              <input type="radio" name="move-place" checked={place === choice} onChange={() => setPlace(choice)} /> {t(`move.${choice}`)}
            </label>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit" class="button">
            {t('move.submit', { label })}
          </button>
          <button type="button" class="link-button" onClick={onClose}>
            {t('move.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
