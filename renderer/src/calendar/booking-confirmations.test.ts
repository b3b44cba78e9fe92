import { describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors';
import { writeWithQuestions, type Questions, type WriteExtras } from './booking-confirmations';

function asker(answers: { overlap?: boolean; reason?: string | null }) {
  const asked: string[] = [];
  const questions: Questions = {
    confirmOverlap: async () => {
      asked.push('overlap');
      return answers.overlap ?? false;
    },
    askOverrideReason: async () => {
      asked.push('reason');
      return answers.reason ?? null;
    },
  };
  return { asked, questions };
}

const overlap = () => new AppError('CONFLICT', 'errors.booking.customerDoubleBooked', { bookingId: 'x', start: 1, end: 2 });
const needsReason = () => new AppError('INVALID', 'errors.booking.overrideReasonRequired');

describe('booking questions', () => {
  it('asks once about the customer’s overlapping booking and retries with the acknowledgement', async () => {
    const calls: WriteExtras[] = [];
    const { asked, questions } = asker({ overlap: true });
    const outcome = await writeWithQuestions(
      async (extras) => {
        calls.push(extras);
        if (!extras.acknowledgeCustomerOverlap) throw overlap();
        return 'booked';
      },
      questions,
      false,
    );
    expect(outcome).toEqual({ ok: true, value: 'booked', extras: { acknowledgeCustomerOverlap: true } });
    expect(calls).toEqual([{}, { acknowledgeCustomerOverlap: true }]);
    expect(asked).toEqual(['overlap']);
  });

  it('gives up quietly when the receptionist says no', async () => {
    const { questions } = asker({ overlap: false });
    const outcome = await writeWithQuestions(async () => Promise.reject(overlap()), questions, true);
    expect(outcome).toEqual({ ok: false, error: null });
  });

  it('asks for a reason to book a blacklisted customer only when the role may override', async () => {
    const { asked, questions } = asker({ reason: '  urgent referral ' });
    const calls: WriteExtras[] = [];
    const run = async (extras: WriteExtras) => {
      calls.push(extras);
      if (extras.overrideReason === undefined) throw needsReason();
      return 'ok';
    };
    expect(await writeWithQuestions(run, questions, true)).toMatchObject({ ok: true, extras: { overrideReason: 'urgent referral' } });
    expect(calls[1]).toEqual({ overrideReason: 'urgent referral' });
    expect(asked).toEqual(['reason']);
    const refused = await writeWithQuestions(async () => Promise.reject(needsReason()), asker({ reason: 'x' }).questions, false);
    expect(refused).toMatchObject({ ok: false, error: { key: 'errors.booking.overrideReasonRequired' } });
  });

  it('answers both questions in one write when both come up, and passes any other refusal through', async () => {
    const { asked, questions } = asker({ overlap: true, reason: 'ok' });
    const outcome = await writeWithQuestions(
      async (extras) => {
        if (extras.overrideReason === undefined) throw needsReason();
        if (!extras.acknowledgeCustomerOverlap) throw overlap();
        return 1;
      },
      questions,
      true,
    );
    expect(outcome).toMatchObject({ ok: true, extras: { overrideReason: 'ok', acknowledgeCustomerOverlap: true } });
    expect(asked).toEqual(['reason', 'overlap']);
    const busy = await writeWithQuestions(async () => Promise.reject(new AppError('CONFLICT', 'errors.booking.resourceBusy', { resource: 'Dr Wang' })), questions, true);
    expect(busy).toEqual({ ok: false, error: { code: 'CONFLICT', key: 'errors.booking.resourceBusy', params: { resource: 'Dr Wang' }, issues: [] } });
  });
});
