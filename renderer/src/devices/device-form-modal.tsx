/**
 * Adding a device and editing one, in the same form. The input is checked with core's
 * `DeviceConfig` before it is sent; the host checks again (and knows what the page cannot: a name
 * already taken on this desk). A problem the host names a field for is shown under that field,
 * anything else above the buttons. Saving restarts the device with the new settings.
 */
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Modal, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeviceConfig } from '../../../core/devices/device-config';
import type { AppErrorShape } from '../../../core/errors';
import { parseOrThrow } from '../../../core/validation';
import { useHotkey } from '../common/use-hotkey';
import { appErrorOf, placeError } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { DeviceFormFields } from './device-form-fields';
import {
  DEVICE_FORM_FIELDS,
  configInputOf,
  emptyFormValues,
  fieldOfIssue,
  followUps,
  formValuesOf,
  visibleFields,
  type DeviceFormField,
  type DeviceFormValues,
} from './device-form-values';
import type { DeviceView } from './device-types';
import { useInvalidateDevices } from './use-device-events';

export type DeviceFormTarget = { mode: 'create' } | { mode: 'edit'; device: DeviceView };

interface Props {
  target: DeviceFormTarget | null;
  onClose(): void;
}

export function DeviceFormModal({ target, onClose }: Props) {
  const { t } = useTranslation();
  const title = target?.mode === 'edit' ? t('devices.form.editTitle', { name: target.device.name }) : t('devices.form.createTitle');
  return (
    <Modal
      open={target !== null}
      title={title}
      onCancel={onClose}
      footer={null}
      width={720}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="device-form"
    >
      {target && <DeviceForm target={target} onDone={onClose} />}
    </Modal>
  );
}

function DeviceForm({ target, onDone }: { target: DeviceFormTarget; onDone(): void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const invalidate = useInvalidateDevices();
  const [form] = Form.useForm<DeviceFormValues>();
  const [general, setGeneral] = useState<string | null>(null);
  const inFlight = useRef(false);
  const add = useMutation(trpc.devices.add.mutationOptions());
  const update = useMutation(trpc.devices.update.mutationOptions());
  const saving = add.isPending || update.isPending;

  const showError = (error: AppErrorShape) => {
    const values: DeviceFormValues = form.getFieldsValue(true);
    const shown = new Set<DeviceFormField>(visibleFields(values.kind, values.transportType, values.board));
    const { byField, general } = placeError<DeviceFormField>(t, error, (issue) => {
      const field = fieldOfIssue(issue);
      return field !== null && shown.has(field) ? field : null;
    });
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    setGeneral(general);
    const first = [...byField.keys()][0];
    if (first) form.focusField(first);
  };

  const save = async (values: DeviceFormValues) => {
    if (inFlight.current) return;
    setGeneral(null);
    let config;
    try {
      config = parseOrThrow(DeviceConfig, configInputOf(values));
    } catch (e) {
      showError(appErrorOf(e));
      return;
    }
    inFlight.current = true;
    try {
      if (target.mode === 'create') {
        await add.mutateAsync(config);
        void message.success(t('devices.saved.created', { name: config.name }));
      } else {
        await update.mutateAsync({ id: target.device.id, config });
        void message.success(t('devices.saved.updated', { name: config.name }));
      }
      invalidate();
      onDone();
    } catch (e) {
      showError(appErrorOf(e));
    } finally {
      inFlight.current = false;
    }
  };

  const onValuesChange = (changed: Partial<DeviceFormValues>) => {
    setGeneral(null);
    // antd's second argument holds only the inputs on screen; the follow-ups need every value.
    const more = followUps(changed, form.getFieldsValue(true));
    if (Object.keys(more).length > 0) form.setFieldsValue(more);
    // Messages appear when a field is left; once shown, they update as any field is fixed (rules
    // such as "an LCUS board is on a serial port" span fields).
    const showing = DEVICE_FORM_FIELDS.filter((f) => form.getFieldError(f).length > 0);
    if (showing.length > 0) void form.validateFields(showing).catch(() => undefined);
  };

  useHotkey({ key: 'Enter', ctrlOrMeta: true }, () => form.submit());

  return (
    <Form<DeviceFormValues>
      form={form}
      name="device"
      layout="vertical"
      requiredMark
      validateTrigger="onBlur"
      initialValues={target.mode === 'edit' ? formValuesOf(target.device) : emptyFormValues()}
      onValuesChange={onValuesChange}
      onFinish={save}
      scrollToFirstError={{ focus: true }}
    >
      <DeviceFormFields form={form} kindLocked={target.mode === 'edit'} />
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" data-testid="device-form-error" />}
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text type="secondary" className="foyer-hint">
          {t('devices.form.saveShortcut')}
        </Typography.Text>
        <Flex gap={8}>
          <Button onClick={onDone}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="device-save">
            {t('common.save')}
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}
