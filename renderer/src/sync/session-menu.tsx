/**
 * Who is signed in at this desk (name and role), in the header, with "Sign out". Shown only on a
 * desk enrolled with a server: a desk that works alone has nobody to sign out.
 */
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { appErrorOf, messageOf } from '../host/app-error';
import { roleText } from './session-values';
import { useSession, useSessionChanges } from './use-session';

export function SessionMenu() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useSession();
  const { signOut } = useSessionChanges();
  const info = session.data?.session;
  if (!info) return null;

  const onSignOut = async () => {
    try {
      await signOut();
      void message.success(t('auth.signedOut'));
    } catch (e) {
      const error = appErrorOf(e);
      void message.error(messageOf(t, error.key, error.params));
    }
  };

  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        items: [{ key: 'signOut', icon: <LogoutOutlined />, label: <span data-testid="sign-out">{t('auth.signOut')}</span> }],
        onClick: ({ key }) => {
          if (key === 'signOut') void onSignOut();
        },
      }}
    >
      <Button type="text" icon={<UserOutlined />} aria-label={t('auth.signedInAs', { name: info.name })} data-testid="session-menu">
        <Space size={6}>
          <span data-testid="session-name">{info.name}</span>
          <Typography.Text type="secondary" data-testid="session-role">
            {roleText(t, info.role)}
          </Typography.Text>
        </Space>
      </Button>
    </Dropdown>
  );
}
