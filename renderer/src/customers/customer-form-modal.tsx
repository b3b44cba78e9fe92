/**
 * Registering a customer and editing one, in the same form. The input is checked with core's
 * `CustomerInput` before it is sent (instant messages); the host checks again and its answer is
 * authoritative. Every error lands where the user looks: a field's problem under that field
 * ("This phone number already belongs to 张三."), anything else in an alert above the buttons.
 * An edit sends only the fields that changed.
 */
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Modal, Typography } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorShape } from '../../../core/errors';
import { CustomerInput, type Customer } from '../../../core/customers/customer.schema';
import { parseOrThrow } from '../../../core/validation';
import { useHotkey } from '../common/use-hotkey';
import { appErrorOf, placeError } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import { CustomerFormFields } from './customer-form-fields';
import {
  emptyFormValues,
  factsFromNationalId,
  FORM_FIELDS,
  fieldOfIssue,
  formValuesOf,
  patchOf,
  schemaInputOf,
  type CustomerFormValues,
  type FormField,
} from './customer-form-values';

export type CustomerFormTarget =
  | { mode: 'create'; prefill?: Partial<Pick<CustomerFormValues, 'name' | 'phone'>> }
  | { mode: 'edit'; customer: Customer };

interface Props {
  target: CustomerFormTarget | null;
  onClose(): void;
  suggestedTags: readonly string[];
}

export function CustomerFormModal({ target, onClose, suggestedTags }: Props) {
  const { t } = useTranslation();
  const title =
    target?.mode === 'edit' ? t('customer.form.editTitle', { name: target.customer.name }) : t('customer.form.createTitle');
  return (
    <Modal
      open={target !== null}
      title={title}
      onCancel={onClose}
      footer={null}
      width={680}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="customer-form"
    >
      {target && <CustomerForm target={target} onDone={onClose} suggestedTags={suggestedTags} />}
    </Modal>
  );
}

function CustomerForm({ target, onDone, suggestedTags }: { target: CustomerFormTarget; onDone(): void; suggestedTags: readonly string[] }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const [form] = Form.useForm<CustomerFormValues>();
  const [general, setGeneral] = useState<string | null>(null);
  // Guards against a second submit (Enter, Ctrl+Enter) while the first is on its way.
  const inFlight = useRef(false);
  const create = useMutation(trpc.customers.create.mutationOptions());
  const update = useMutation(trpc.customers.update.mutationOptions());
  const saving = create.isPending || update.isPending;

  const showError = (error: AppErrorShape) => {
    const { byField, general } = placeError<FormField>(t, error, fieldOfIssue);
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    setGeneral(general);
    const first = [...byField.keys()][0];
    if (first) form.focusField(first);
  };

  const save = async (values: CustomerFormValues) => {
    if (inFlight.current) return;
    setGeneral(null);
    let input;
    try {
      input = parseOrThrow(CustomerInput, schemaInputOf(values));
    } catch (e) {
      showError(appErrorOf(e));
      return;
    }
    inFlight.current = true;
    try {
      if (target.mode === 'create') {
        await create.mutateAsync(input);
        void message.success(t('customer.saved.created', { name: input.name }));
      } else {
        const patch = patchOf(target.customer, input);
        if (Object.keys(patch).length === 0) {
          void message.info(t('customer.form.unchanged'));
        } else {
          await update.mutateAsync({ id: target.customer.id, patch });
          void message.success(t('customer.saved.updated', { name: input.name }));
        }
      }
      onDone();
    } catch (e) {
      showError(appErrorOf(e));
    } finally {
      inFlight.current = false;
    }
  };

  const onValuesChange = (changed: Partial<CustomerFormValues>, all: CustomerFormValues) => {
    setGeneral(null);
    // A valid id number fills in what it tells us, if the receptionist has not already.
    if (changed.nationalId !== undefined) {
      const facts = factsFromNationalId(changed.nationalId);
      if (facts && !all.birthDate) form.setFieldValue('birthDate', dayjs(facts.birthDate));
      if (facts && all.gender === 'unknown') form.setFieldValue('gender', facts.gender);
    }
    // Messages appear when a field is left; once shown, they update as the field is fixed.
    const touched = FORM_FIELDS.filter((f) => f in changed);
    const recheck = touched.includes('nationalId') ? [...touched, 'birthDate' as const] : touched;
    const showing = recheck.filter((f) => form.getFieldError(f).length > 0);
    if (showing.length > 0) void form.validateFields(showing).catch(() => undefined);
  };

  useHotkey({ key: 'Enter', ctrlOrMeta: true }, () => form.submit());

  return (
    <Form<CustomerFormValues>
      form={form}
      name="customer"
      layout="vertical"
      requiredMark
      validateTrigger="onBlur"
      initialValues={target.mode === 'edit' ? formValuesOf(target.customer) : { ...emptyFormValues(), ...target.prefill }}
      onValuesChange={onValuesChange}
      onFinish={save}
      scrollToFirstError={{ focus: true }}
      className="foyer-customer-form"
    >
      <CustomerFormFields form={form} suggestedTags={suggestedTags} />
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" data-testid="customer-form-error" />}
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Text type="secondary" className="foyer-hint">
          {t('customer.form.saveShortcut')}
        </Typography.Text>
        <Flex gap={8}>
          <Button onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="customer-save">
            {t('common.save')}
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}
