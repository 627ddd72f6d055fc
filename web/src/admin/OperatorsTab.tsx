/**
 * A company's operators (counter staff): add one with a login, a password, a name and a role;
 * change or delete one; and give one another role in a queue of the company, or take it back
 * (docs/lineberty/auth.md §Roles: a role per queue replaces the operator's own there).
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin, listPlaces, listQueues, type Operator, type OperatorRoles, type QueueRole } from './api.js';
import { ConfirmButton } from './ConfirmButton.js';
import { EditableRow, FormButtons } from './EditableRow.js';
import { NoticeView } from './NoticeView.js';
import { FULL_ROLE, RoleFields, roleSummary, sameRole } from './RoleFields.js';
import { type AdminNotice, useAction } from './use-action.js';

interface Props {
  token: string;
  companyId: string;
  t: Translate;
}
interface QueueChoice {
  id: string;
  /** The queue's name, with its place's when the company has several places. */
  label: string;
}
interface Loaded {
  operators: Operator[];
  queueRoles: Record<string, QueueRole[]>;
  queues: QueueChoice[];
}

export function OperatorsTab({ token, companyId, t }: Props) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const { busy, notice, setNotice, run } = useAction(t);

  const load = async () => {
    const [operators, places] = await Promise.all([
      admin<Operator[]>(token, 'GET', `/admin/companies/${companyId}/operators`),
      listPlaces(token, companyId),
    ]);
    const queuesOfPlaces = await Promise.all(places.map(async (place) => ({ place, queues: await listQueues(token, place.id) })));
    const queues = queuesOfPlaces.flatMap(({ place, queues }) =>
      queues.map((queue) => ({ id: queue.id, label: places.length > 1 ? `${queue.name} (${place.name})` : queue.name })),
    );
    const roles = await Promise.all(
      operators.map(async (operator) => [
        operator.id,
        await admin<QueueRole[]>(token, 'GET', `/admin/operators/${operator.id}/queueRoles`),
      ]),
    );
    setLoaded({ operators, queues, queueRoles: Object.fromEntries(roles) });
  };
  useEffect(() => void load().catch((error: unknown) => setNotice({ kind: 'error', text: describeError(error, t) })), [companyId]);
  /** Every action reloads the list afterwards, so it shows what the API kept. */
  const act = (key: string, action: () => Promise<AdminNotice | string>) =>
    run(key, async () => {
      const result = await action();
      await load();
      return result;
    });

  if (!loaded) return notice ? <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} /> : <p>{t('common.loading')}</p>;
  const queueName = (queueId: string) => loaded.queues.find((queue) => queue.id === queueId)?.label ?? queueId;
  return (
    <section class="card" aria-labelledby="operators-title" data-testid="operators">
      <h2 id="operators-title">{t('operator.title')}</h2>
      <p class="muted">{t('operator.intro')}</p>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      {loaded.operators.length === 0 && <p>{t('operator.none')}</p>}
      <ul class="plain-list">
        {loaded.operators.map((operator) => (
          <li key={operator.id} data-testid={`operator-${operator.loginId}`}>
            {editing === operator.id ? (
              <OperatorForm
                idPrefix={`edit-operator-${operator.id}`}
                initial={operator}
                busy={busy}
                t={t}
                submitLabel={t('operator.save')}
                onCancel={() => setEditing(null)}
                onSubmit={(body) =>
                  act('operator', async () => {
                    await admin(token, 'PATCH', `/admin/operators/${operator.id}`, { body });
                    setEditing(null);
                    return t('operator.saved', { name: body.name ?? operator.name });
                  })
                }
              />
            ) : (
              <EditableRow
                name={operator.name}
                confirmDelete={t('operator.confirmDelete', { name: operator.name })}
                busy={busy !== null}
                t={t}
                onEdit={() => setEditing(operator.id)}
                onDelete={() =>
                  void act('operator', async () => {
                    await admin(token, 'DELETE', `/admin/operators/${operator.id}`);
                    return t('operator.deleted', { name: operator.name });
                  })
                }
              >
                <strong>{operator.name}</strong> · <code>{operator.loginId}</code> · {roleSummary(operator.roles, t)}
              </EditableRow>
            )}
            <QueueRoles
              operator={operator}
              roles={loaded.queueRoles[operator.id] ?? []}
              queues={loaded.queues}
              queueName={queueName}
              busy={busy}
              t={t}
              onSet={(queueId, roles) =>
                act('queueRole', async () => {
                  await admin(token, 'PUT', `/admin/operators/${operator.id}/queueRoles/${queueId}`, { body: roles });
                  return t('queueRole.saved', { name: operator.name, queue: queueName(queueId) });
                })
              }
              onClear={(queueId) =>
                void act('queueRole', async () => {
                  await admin(token, 'DELETE', `/admin/operators/${operator.id}/queueRoles/${queueId}`);
                  return t('queueRole.cleared', { name: operator.name, queue: queueName(queueId) });
                })
              }
            />
          </li>
        ))}
      </ul>
      <details class="create">
        <summary>{t('operator.create')}</summary>
        <OperatorForm
          idPrefix="new-operator"
          busy={busy}
          t={t}
          submitLabel={t('operator.create')}
          onSubmit={(body) =>
            act('operator', async () => {
              const created = await admin<Operator>(token, 'POST', `/admin/companies/${companyId}/operators`, { body });
              return t('operator.created', { name: created.name });
            })
          }
        />
      </details>
    </section>
  );
}

interface OperatorBody {
  loginId?: string;
  password?: string;
  name?: string;
  roles?: OperatorRoles;
}

/**
 * Adds an operator, or changes one: only the fields that changed are sent, since a new login,
 * password or role ends the operator's sessions (docs/security.md §Tokens).
 */
function OperatorForm({
  idPrefix,
  initial,
  busy,
  t,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  initial?: Operator;
  busy: string | null;
  t: Translate;
  submitLabel: string;
  onSubmit(body: OperatorBody): Promise<boolean>;
  onCancel?(): void;
}) {
  const [loginId, setLoginId] = useState(initial?.loginId ?? '');
  const [password, setPassword] = useState('');
  const [name, setName] = useState(initial?.name ?? '');
  const [roles, setRoles] = useState<OperatorRoles>(initial?.roles ?? FULL_ROLE);
  const body = (): OperatorBody => {
    if (!initial) return { loginId: loginId.trim(), password, ...(name.trim() ? { name: name.trim() } : {}), roles };
    return {
      ...(loginId.trim() !== initial.loginId ? { loginId: loginId.trim() } : {}),
      ...(password ? { password } : {}),
      ...(name.trim() && name.trim() !== initial.name ? { name: name.trim() } : {}),
      ...(sameRole(roles, initial.roles) ? {} : { roles }),
    };
  };
  return (
    <form
      class="stacked-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if ((await onSubmit(body())) && !initial) {
          setLoginId('');
          setPassword('');
          setName('');
          setRoles(FULL_ROLE);
        }
      }}
    >
      <div class="settings-grid">
        <Field id={`${idPrefix}-login`} label={t('operator.login')}>
          <input
            id={`${idPrefix}-login`}
            required
            maxLength={100}
            autoComplete="off"
            value={loginId}
            onInput={(e) => setLoginId(e.currentTarget.value)}
          />
        </Field>
        <Field
          id={`${idPrefix}-password`}
          label={t(initial ? 'operator.newPassword' : 'operator.password')}
          hint={t('operator.passwordHint')}
        >
          <input
            id={`${idPrefix}-password`}
            type="password"
            required={!initial}
            minLength={8}
            maxLength={200}
            autoComplete="new-password"
            aria-describedby={`${idPrefix}-password-hint`}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <Field id={`${idPrefix}-name`} label={t('operator.name')}>
          <input id={`${idPrefix}-name`} maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
      </div>
      <RoleFields roles={roles} t={t} onChange={setRoles} />
      <FormButtons label={submitLabel} busy={busy !== null} t={t} onCancel={onCancel} />
    </form>
  );
}

/** An operator's roles per queue: each one with a button to clear it, and a form to set one. */
function QueueRoles({
  operator,
  roles,
  queues,
  queueName,
  busy,
  t,
  onSet,
  onClear,
}: {
  operator: Operator;
  roles: QueueRole[];
  queues: QueueChoice[];
  queueName(queueId: string): string;
  busy: string | null;
  t: Translate;
  onSet(queueId: string, roles: OperatorRoles): Promise<boolean>;
  onClear(queueId: string): void;
}) {
  const [queueId, setQueueId] = useState('');
  const [chosen, setChosen] = useState<OperatorRoles>(operator.roles);
  const id = `queue-role-${operator.id}`;
  // Choosing a queue starts from the role that applies there now.
  const choose = (next: string) => {
    setQueueId(next);
    setChosen(roles.find((role) => role.queueId === next)?.roles ?? operator.roles);
  };
  return (
    <details class="create" data-testid={`queue-roles-${operator.loginId}`}>
      <summary>{t('queueRole.title', { name: operator.name, count: roles.length })}</summary>
      {roles.length === 0 ? (
        <p class="muted">{t('queueRole.none')}</p>
      ) : (
        <ul class="plain-list">
          {roles.map((role) => (
            <li key={role.queueId} class="row-with-actions">
              <span class="wrap">
                <strong>{queueName(role.queueId)}</strong>: {roleSummary(role.roles, t)}
              </span>
              <ConfirmButton
                label={t('queueRole.clear')}
                ariaLabel={t('queueRole.clearOf', { name: operator.name, queue: queueName(role.queueId) })}
                question={t('queueRole.confirmClear', { name: operator.name, queue: queueName(role.queueId) })}
                disabled={busy !== null}
                t={t}
                onConfirm={() => onClear(role.queueId)}
              />
            </li>
          ))}
        </ul>
      )}
      {queues.length === 0 ? (
        <p class="muted">{t('queueRole.noQueue')}</p>
      ) : (
        <form
          class="stacked-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (queueId && (await onSet(queueId, chosen))) choose('');
          }}
        >
          <Field id={`${id}-queue`} label={t('queueRole.queue')}>
            <select id={`${id}-queue`} required value={queueId} onChange={(e) => choose(e.currentTarget.value)}>
              <option value="">{t('queueRole.pick')}</option>
              {queues.map((queue) => (
                <option key={queue.id} value={queue.id}>
                  {queue.label}
                </option>
              ))}
            </select>
          </Field>
          <RoleFields roles={chosen} t={t} onChange={setChosen} />
          <FormButtons label={t('queueRole.set')} busy={busy !== null || !queueId} t={t} />
        </form>
      )}
    </details>
  );
}
