/**
 * The questions a booking write may need answered before the desk tries again:
 *   - "This customer already has a booking at an overlapping time" (errors.booking.customerDoubleBooked):
 *     the receptionist confirms and the write is sent again with `acknowledgeCustomerOverlap: true`;
 *   - a blacklisted customer, when the receptionist's role may override it
 *     (errors.booking.overrideReasonRequired): they give a reason, sent as `overrideReason`.
 * Any other refusal is final and is shown in words. The mutators decide; this only carries the
 * answers back, each question at most once.
 */
import type { AppErrorShape } from '../../../core/errors';
import { appErrorOf } from '../host/app-error';

export interface WriteExtras {
  acknowledgeCustomerOverlap?: true;
  overrideReason?: string;
}

export interface Questions {
  /** Whether to book although the customer is booked at an overlapping time. */
  confirmOverlap(error: AppErrorShape): Promise<boolean>;
  /** Why a blacklisted customer is booked anyway; null when the receptionist gives up. */
  askOverrideReason(error: AppErrorShape): Promise<string | null>;
}

export type WriteOutcome<T> = { ok: true; value: T; extras: WriteExtras } | { ok: false; error: AppErrorShape | null };

export const OVERLAP_KEY = 'errors.booking.customerDoubleBooked';
export const OVERRIDE_KEY = 'errors.booking.overrideReasonRequired';

/**
 * Runs a write; on a question it can answer, asks and runs it again with the answer. Resolves
 * with the value, or with the refusal to show (`error: null` when the receptionist said no).
 */
export async function writeWithQuestions<T>(run: (extras: WriteExtras) => Promise<T>, questions: Questions, canOverride: boolean): Promise<WriteOutcome<T>> {
  const extras: WriteExtras = {};
  for (;;) {
    try {
      const value = await run({ ...extras });
      return { ok: true, value, extras };
    } catch (e) {
      const error = appErrorOf(e);
      if (error.key === OVERLAP_KEY && !extras.acknowledgeCustomerOverlap) {
        if (!(await questions.confirmOverlap(error))) return { ok: false, error: null };
        extras.acknowledgeCustomerOverlap = true;
        continue;
      }
      if (error.key === OVERRIDE_KEY && canOverride && extras.overrideReason === undefined) {
        const reason = await questions.askOverrideReason(error);
        if (reason === null || reason.trim() === '') return { ok: false, error: null };
        extras.overrideReason = reason.trim();
        continue;
      }
      return { ok: false, error };
    }
  }
}
