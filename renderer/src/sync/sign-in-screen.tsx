/**
 * The sign-in screen of a desk enrolled with a server: login name and password, checked by the
 * server, or by this desk's memory of earlier sign-ins while the server is away (the screen says
 * so then). A refusal's words go under the field they concern, or above the button: wrong login
 * or password, never signed in here while offline, the desk service not answering.
 */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { appErrorOf } from '../host/app-error';
import { LanguageSwitch } from '../shell/language-switch';
import { signInProblemOf, type SignInField } from './session-values';
import { useSyncStatus } from './sync-status-context';
import { syncHint, syncViewOf } from './sync-status';
import { useSessionChanges } from './use-session';

interface Values {
  login: string;
  password: string;
}

export function SignInScreen() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { signIn } = useSessionChanges();
  const [form] = Form.useForm<Values>();
  const [banner, setBanner] = useState<{ text: string; tone: 'error' | 'warning' } | null>(null);
  const [busy, setBusy] = useState(false);
  // Enter pressed twice must not sign in twice.
  const inFlight = useRef(false);
  const status = useSyncStatus();
  const view = status ? syncViewOf(status) : null;

  useEffect(() => {
    document.title = t('app.documentTitle', { page: t('auth.signIn.title') });
  }, [t]);

  const submit = async ({ login, password }: Values) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setBanner(null);
    try {
      const info = await signIn(login, password);
      void message.success(t('auth.signIn.welcome', { name: info.name }));
      if (info.checkedBy === 'desk') void message.info(t('auth.signIn.checkedByDesk'));
    } catch (e) {
      const error = appErrorOf(e);
      const problem = signInProblemOf(t, error);
      form.setFields([...problem.byField].map(([name, errors]) => ({ name, errors })));
      setBanner(problem.banner === null ? null : { text: problem.banner, tone: problem.tone });
      if (error.key === 'errors.auth.invalidCredentials') {
        form.setFieldValue('password', '');
        form.focusField('password');
      } else {
        const first = [...problem.byField.keys()][0];
        if (first) form.focusField(first);
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  // While the server is away only staff who signed in here before can sign in: say so first.
  const awayText =
    view === null ? null : view.kind === 'offline' ? t('auth.signIn.offline') : view.kind === 'upgradeRequired' || view.kind === 'unauthorized' ? syncHint(t, view) : null;

  return (
    <Flex justify="center" align="center" className="foyer-sign-in" data-testid="sign-in">
      <Card className="foyer-sign-in-card">
        <Flex justify="space-between" align="center" gap={12} className="foyer-sign-in-head">
          <div className="foyer-brand foyer-sign-in-brand">
            <span className="foyer-brand-mark" aria-hidden>
              F
            </span>
            <Typography.Text strong>{t('app.name')}</Typography.Text>
          </div>
          <LanguageSwitch />
        </Flex>
        <Typography.Title level={3} className="foyer-page-title">
          {t('auth.signIn.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('auth.signIn.subtitle')}</Typography.Paragraph>
        {awayText && <Alert type="info" showIcon title={awayText} className="foyer-form-alert" data-testid="sign-in-server-away" />}
        <Form<Values>
          form={form}
          name="sign-in"
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          onValuesChange={(changed: Partial<Values>) => {
            setBanner(null);
            form.setFields((Object.keys(changed) as SignInField[]).map((name) => ({ name, errors: [] })));
          }}
        >
          <Form.Item name="login" label={t('auth.signIn.login')} rules={[{ required: true, whitespace: true, message: t('auth.signIn.loginRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus autoCapitalize="off" spellCheck={false} data-testid="sign-in-login" />
          </Form.Item>
          <Form.Item name="password" label={t('auth.signIn.password')} rules={[{ required: true, message: t('auth.signIn.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="sign-in-password" />
          </Form.Item>
          {banner && <Alert type={banner.tone} showIcon title={banner.text} role="alert" className="foyer-form-alert" data-testid="sign-in-error" />}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in-submit">
            {t('auth.signIn.submit')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
