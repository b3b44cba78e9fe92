/**
 * Registering a customer without leaving the booking: the Customers page's own form fields and
 * checks (core's CustomerInput, instant messages at the field), saved through customers.create;
 * the new customer is handed back so the booking can go on with them.
 */
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Modal } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CustomerInput } from '../../../core/customers/customer.schema';
import type { AppErrorShape } from '../../../core/errors';
import { parseOrThrow } from '../../../core/validation';
import { CustomerFormFields } from '../customers/customer-form-fields';
import { emptyFormValues, fieldOfIssue, schemaInputOf, type CustomerFormValues, type FormField } from '../customers/customer-form-values';
import { appErrorOf, placeError } from '../host/app-error';
import { useTRPC } from '../host/trpc';

export interface PickedCustomer {
  id: string;
  name: string;
  phone: string;
}

interface Props {
  /** What was typed in the search: a phone-like text prefills the phone, anything else the name. */
  prefill: string | null;
  onClose(): void;
  onCreated(customer: PickedCustomer): void;
}

export function QuickRegisterModal({ prefill, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      open={prefill !== null}
      title={t('customer.form.createTitle')}
      onCancel={onClose}
      footer={null}
      width={680}
      destroyOnHidden
      mask={{ closable: false }}
      data-testid="quick-register"
    >
      {prefill !== null && <QuickRegisterForm prefill={prefill} onClose={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function QuickRegisterForm({ prefill, onClose, onCreated }: { prefill: string; onClose(): void; onCreated(c: PickedCustomer): void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const { message } = App.useApp();
  const [form] = Form.useForm<CustomerFormValues>();
  const [general, setGeneral] = useState<string | null>(null);
  const inFlight = useRef(false);
  const create = useMutation(trpc.customers.create.mutationOptions());

  const showError = (error: AppErrorShape) => {
    const { byField, general } = placeError<FormField>(t, error, fieldOfIssue);
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
    setGeneral(general);
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
      const { id } = await create.mutateAsync(input);
      void message.success(t('customer.saved.created', { name: input.name }));
      onCreated({ id, name: input.name, phone: input.phone });
    } catch (e) {
      showError(appErrorOf(e));
    } finally {
      inFlight.current = false;
    }
  };

  const phoneLike = /^[+\d][\d\s\-()]*$/.test(prefill);
  return (
    <Form<CustomerFormValues>
      form={form}
      name="quick-customer"
      layout="vertical"
      requiredMark
      validateTrigger="onBlur"
      initialValues={{ ...emptyFormValues(), ...(prefill === '' ? {} : phoneLike ? { phone: prefill } : { name: prefill }) }}
      onFinish={save}
    >
      <CustomerFormFields form={form} suggestedTags={[]} />
      {general && <Alert type="error" showIcon title={general} className="foyer-form-alert" />}
      <Flex justify="end" gap={8}>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="customer-save">
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
