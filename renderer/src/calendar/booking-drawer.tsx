/**
 * The booking drawer: a new booking (customer, service, resources, date and time, notes; a
 * weekly series with its per-date preview; a walk-in that starts now), or an existing booking
 * (details, status actions the state machine allows, reschedule, history).
 */
import { Drawer } from 'antd';
import { useTranslation } from 'react-i18next';
import { BookingDetails } from './booking-details';
import { NewBookingForm, type BookingPrefill } from './new-booking-form';

export type BookingDrawerTarget = { mode: 'new'; prefill: BookingPrefill } | { mode: 'existing'; bookingId: string; title?: string };

interface Props {
  target: BookingDrawerTarget | null;
  onClose(): void;
}

export function BookingDrawer({ target, onClose }: Props) {
  const { t } = useTranslation();
  const title = target?.mode === 'existing' ? (target.title ?? t('calendar.drawer.bookingTitle')) : t('calendar.drawer.newTitle');
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size={560}
      destroyOnHidden
      title={title}
      data-testid="booking-drawer"
      aria-label={title}
    >
      {target?.mode === 'new' && <NewBookingForm key={JSON.stringify(target.prefill)} prefill={target.prefill} onDone={onClose} />}
      {target?.mode === 'existing' && <BookingDetails key={target.bookingId} bookingId={target.bookingId} onClose={onClose} />}
    </Drawer>
  );
}
