import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRouter } from '../routing/router';
import { paths } from '../routing/routes';

export function NotFoundPage() {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  return (
    <Result
      status="404"
      title={t('notFound.title')}
      extra={
        <Button type="primary" onClick={() => navigate(paths.customers())}>
          {t('notFound.back')}
        </Button>
      }
    />
  );
}
