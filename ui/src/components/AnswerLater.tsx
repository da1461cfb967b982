import { Alert } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { acceptedPending, approveAll, type BulkAttempt } from '../client/bulk-approval';
import { ApiError, type Problem } from '../client/client';
import type { MessageKey } from '../i18n/messages';
import { useLocale } from '../i18n/locale';

/** The headers of a person's action that may be answered later: its key and the preference. */
export type AnswerLaterHeaders = {
  'idempotency-key': string;
  prefer: string;
};

/** How long the first ask of an action a person waits on may take before the API says "not yet". */
const FIRST_WAIT_SECONDS = 10;

/**
 * A person's action answered by a workflow (lock, memo, an after-sales decision, …) on a busy
 * system, sent as review decisions are (docs/human-actions.md): with `Prefer: respond-async,
 * wait=N`, the API answers within the wait — the outcome, or 202 "not taken / not finished yet" —
 * and the same Idempotency-Key asks again until the outcome comes, so the action applies once and
 * a busy worker shows as 处理中, never as an error. `run` resolves with the outcome's body, or
 * rejects with the refusal (ApiError) as a plain request would; `pending` says 处理中 meanwhile.
 * Asking stops when the component goes (the page was left).
 */
export function useAnswerLater(
  words: { accepted: MessageKey; busy: MessageKey } = {
    accepted: 'action.pendingAccepted',
    busy: 'action.pendingBusy',
  },
) {
  const { t } = useLocale();
  // One note per action on its way (several may be, e.g. a lock and a memo): the latest is shown.
  const [notes, setNotes] = useState<Record<number, string>>({});
  const next = useRef(0);
  const gone = useRef(false);
  useEffect(() => {
    gone.current = false;
    return () => {
      gone.current = true;
    };
  }, []);
  const { accepted, busy } = words;
  const run = useCallback(
    async (
      send: (headers: AnswerLaterHeaders) => Promise<{ data?: unknown; error?: unknown; response: Response }>,
    ): Promise<unknown> => {
      const id = (next.current += 1);
      const note = (text: string | null) =>
        setNotes((now) => {
          const { [id]: _, ...rest } = now;
          return text === null ? rest : { ...rest, [id]: text };
        });
      let last: BulkAttempt = { status: 0 };
      const [state] = await approveAll([null], {
        firstWaitSeconds: FIRST_WAIT_SECONDS,
        send: async (_, key, waitSeconds) => {
          const { data, error, response } = await send({
            'idempotency-key': key,
            prefer: `respond-async, wait=${waitSeconds}`,
          });
          return {
            status: response.status,
            body: data ?? error,
            retryAfterSeconds: Number(response.headers.get('retry-after')) || null,
          };
        },
        report: (_, reported, attempt) => {
          last = attempt;
          note(reported === 'pending' ? t(acceptedPending(attempt) ? accepted : busy) : null);
        },
        stopped: () => gone.current,
      });
      if (state === 'ok' || state === 'pending') return last.body; // pending: the page was left
      const refusal = last.body as Problem | undefined;
      throw new ApiError(
        last.status,
        refusal && typeof refusal === 'object' && 'message' in refusal
          ? refusal
          : { statusCode: last.status, message: String(last.status) },
      );
    },
    [t, accepted, busy],
  );
  const texts = Object.values(notes);
  return { run, pending: texts.length ? texts[texts.length - 1]! : null };
}

/** A component's actions that may be answered later (useAnswerLater). */
export type AnswerLater = ReturnType<typeof useAnswerLater>;

/** 处理中 above an action's buttons while it is on its way (useAnswerLater's `pending`). */
export function PendingNote({ text, testId = 'action-pending' }: { text: string | null; testId?: string }) {
  if (!text) return null;
  return (
    <Alert type="info" showIcon title={text} style={{ marginBottom: 8 }} role="status" data-testid={testId} />
  );
}
