/**
 * A device's health as staff read it: a coloured state and, when there is one, the reason in plain
 * words with the device's own name ("Front printer is out of paper. Load a new roll; …"). The host
 * sends the reason as a message key and parameters, so it reads in the window's language.
 */
import { Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { MessageParams } from '../../../core/errors';
import { messageOf } from '../host/app-error';
import type { DeviceHealth, HealthState, JobState } from './device-types';

export const HEALTH_COLOR: Record<HealthState, string> = {
  ready: 'success',
  connecting: 'processing',
  warning: 'warning',
  fault: 'error',
  disconnected: 'error',
  disabled: 'default',
};

export const JOB_COLOR: Record<JobState, string> = {
  queued: 'processing',
  held: 'warning',
  sending: 'processing',
  written: 'processing',
  confirmed: 'success',
  uncertain: 'warning',
  failed: 'error',
  cancelled: 'default',
};

export function healthLabel(t: TFunction, state: HealthState): string {
  return t(`devices.health.${state}`);
}

export function jobStateLabel(t: TFunction, state: JobState): string {
  return t(`devices.job.state.${state}`);
}

/** The reason for a state, or null when the state says it all (ready, connecting). */
export function reasonText(t: TFunction, reasonKey: string | null | undefined, params: MessageParams | null | undefined): string | null {
  return reasonKey ? messageOf(t, reasonKey, params ?? {}) : null;
}

export function HealthBadge({ health }: { health: DeviceHealth }) {
  const { t } = useTranslation();
  const reason = reasonText(t, health.reasonKey, health.params);
  return (
    <Space size={8} align="start" data-testid="device-health" data-health-state={health.state} role="status" aria-live="polite">
      <Tag color={HEALTH_COLOR[health.state]} bordered={false} className="foyer-health-tag">
        {healthLabel(t, health.state)}
      </Tag>
      {reason && (
        <Typography.Text type={health.state === 'warning' ? 'warning' : 'danger'} className="foyer-health-reason">
          {reason}
        </Typography.Text>
      )}
    </Space>
  );
}
