/**
 * The dialogs behind booking-confirmations.ts: a confirm for a customer's overlapping booking
 * and a reason for booking a blacklisted customer, as antd modals (so they follow the theme and
 * the language).
 */
import { App, Input, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { messageOf } from '../host/app-error';
import type { Questions } from './booking-confirmations';

export function useQuestions(): Questions {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  return useMemo<Questions>(
    () => ({
      confirmOverlap: (error) =>
        new Promise<boolean>((resolve) => {
          modal.confirm({
            title: t('calendar.overlap.title'),
            content: (
              <>
                <Typography.Paragraph>{messageOf(t, error.key, error.params)}</Typography.Paragraph>
                <Typography.Paragraph type="secondary">{t('calendar.overlap.question')}</Typography.Paragraph>
              </>
            ),
            okText: t('calendar.overlap.ok'),
            cancelText: t('common.cancel'),
            okButtonProps: { 'data-testid': 'overlap-confirm' } as Record<string, string>,
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          });
        }),
      askOverrideReason: (error) =>
        new Promise<string | null>((resolve) => {
          let reason = '';
          const dialog = modal.confirm({
            title: t('calendar.override.title'),
            content: (
              <>
                <Typography.Paragraph>{messageOf(t, error.key, error.params)}</Typography.Paragraph>
                <Input.TextArea
                  autoFocus
                  maxLength={200}
                  data-testid="override-reason"
                  aria-label={t('calendar.override.reason')}
                  placeholder={t('calendar.override.reason')}
                  onChange={(e) => {
                    reason = e.target.value;
                    dialog.update({ okButtonProps: { disabled: reason.trim() === '' } });
                  }}
                />
              </>
            ),
            okText: t('calendar.override.ok'),
            cancelText: t('common.cancel'),
            okButtonProps: { disabled: true },
            onOk: () => resolve(reason.trim()),
            onCancel: () => resolve(null),
          });
        }),
    }),
    [t, modal],
  );
}
