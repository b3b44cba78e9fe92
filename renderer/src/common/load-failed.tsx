/**
 * A list or page that could not be loaded: what it was, why (the AppError's words) and "Try again".
 */
import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AppErrorShape } from '../../../core/errors';
import { messageOf } from '../host/app-error';

export function LoadFailed({ title, error, onRetry, testId, className }: { title: string; error: AppErrorShape; onRetry(): void; testId?: string; className?: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={title}
      description={messageOf(t, error.key, error.params)}
      action={<Button onClick={onRetry}>{t('common.retry')}</Button>}
      data-testid={testId}
      className={className}
    />
  );
}
