/** "Add a visitor": staff give someone at the counter a ticket in one of the queues it serves. */
import { useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';

interface Props {
  queues: Array<{ queueId: string; name: string }>;
  busy: string | null;
  t: Translate;
  onAdd(queueId: string, name: string | null): void;
}

export function AddVisitor({ queues, busy, t, onAdd }: Props) {
  const [queueId, setQueueId] = useState('');
  const [name, setName] = useState('');
  const chosen = queueId || queues[0]?.queueId || '';
  if (queues.length === 0) return null;
  return (
    <form
      class="card inline-form add-visitor"
      aria-labelledby="add-visitor-title"
      onSubmit={(e) => {
        e.preventDefault();
        onAdd(chosen, name.trim() || null);
        setName('');
      }}
    >
      <h2 id="add-visitor-title">{t('walkIn.title')}</h2>
      <label class="field" for="walk-in-queue">
        <span class="label">{t('walkIn.queue')}</span>
        <select id="walk-in-queue" value={chosen} onChange={(e) => setQueueId(e.currentTarget.value)}>
          {queues.map((queue) => (
            <option key={queue.queueId} value={queue.queueId}>
              {queue.name}
            </option>
          ))}
        </select>
      </label>
      <label class="field" for="walk-in-name">
        <span class="label">{t('walkIn.name')}</span>
        <input id="walk-in-name" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <button type="submit" class="button" disabled={busy !== null} aria-busy={busy === 'walk-in'}>
        {t('walkIn.add')}
      </button>
    </form>
  );
}
