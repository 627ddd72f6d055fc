/** One admin action at a time: a busy flag at once, then a notice in words whatever happened. */
import { useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';

export interface AdminNotice {
  kind: 'success' | 'error';
  text: string;
  secret?: string;
}

export function useAction(t: Translate) {
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<AdminNotice | null>(null);
  const run = async (key: string, action: () => Promise<AdminNotice | string>): Promise<boolean> => {
    setBusy(key);
    setNotice(null);
    try {
      const result = await action();
      setNotice(typeof result === 'string' ? { kind: 'success', text: result } : result);
      return true;
    } catch (error) {
      setNotice({ kind: 'error', text: describeError(error, t) });
      return false;
    } finally {
      setBusy(null);
    }
  };
  return { busy, notice, setNotice, run };
}
