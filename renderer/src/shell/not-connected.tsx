import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** The page was opened without the desk's launch token (not from the app or the host's own URL). */
export function NotConnected() {
  const { t } = useTranslation();
  return <Result status="warning" title={t('errors.notConnected.title')} subTitle={t('errors.unauthorized')} />;
}
