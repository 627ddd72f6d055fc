/** The buttons for one ticket, as its state and the operator's roles allow. */
import type { Translate } from '../shared/i18n.js';
import type { Roles, TicketView } from './api.js';
import { actionsFor, type DeskAction } from './transitions.js';

interface Props {
  ticket: TicketView;
  roles: Roles;
  busy: string | null;
  t: Translate;
  onAction(ticket: TicketView, action: DeskAction): void;
  /** Only the first few for rows of a long list. */
  limit?: number;
}

export function TicketActions({ ticket, roles, busy, t, onAction, limit }: Props) {
  const actions = actionsFor(ticket, roles).slice(0, limit);
  return (
    <div class="actions compact">
      {actions.map((action) => {
        const key = actionKey(ticket, action);
        const label = action.kind === 'recall' ? t('action.recall') : t(`action.${action.to}`);
        const danger = action.kind === 'state' && (action.to === 600 || action.to === 400);
        return (
          <button
            key={key}
            type="button"
            class={`button ${danger ? 'danger' : 'secondary'}`}
            disabled={busy !== null}
            aria-busy={busy === key}
            aria-label={`${label} ${ticket.label}`}
            onClick={() => onAction(ticket, action)}
          >
            {busy === key ? t('action.busy') : label}
          </button>
        );
      })}
    </div>
  );
}

function actionKey(ticket: TicketView, action: DeskAction): string {
  return `${ticket.ticketId}:${action.kind === 'recall' ? 'recall' : action.to}`;
}
