/**
 * The customer form's fields. Labels name the inputs (tests and screen readers find them by
 * label); each input also has a stable `data-testid="customer-form-<field>"`. Every field is
 * checked by core's own schema as the user leaves it, and again as they fix it.
 */
import { Col, DatePicker, Form, Input, Radio, Row, Select, type FormInstance, type FormRule } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { GENDERS } from '../../../core/customers/customer.schema';
import { messageOf } from '../host/app-error';
import { DATE_FORMAT, fieldIssues, type CustomerFormValues, type FormField } from './customer-form-values';

interface Props {
  form: FormInstance<CustomerFormValues>;
  suggestedTags: readonly string[];
}

const testId = (field: FormField) => `customer-form-${field}`;

export function CustomerFormFields({ form, suggestedTags }: Props) {
  const { t } = useTranslation();

  const schemaRule =
    (field: FormField): FormRule =>
    () => ({
      validator: async () => {
        const [issue] = fieldIssues(field, form.getFieldsValue(true));
        if (issue) throw new Error(messageOf(t, issue.key, issue.params));
      },
    });

  const today = dayjs().endOf('day');

  return (
    <>
      <Row gutter={16}>
        <Col xs={24} sm={12}>
          <Form.Item name="name" label={t('customer.field.name')} required rules={[schemaRule('name')]}>
            <Input data-testid={testId('name')} autoComplete="off" maxLength={80} autoFocus />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name="phone"
            label={t('customer.field.phone')}
            required
            rules={[schemaRule('phone')]}
            tooltip={t('customer.form.phoneHelp')}
          >
            <Input
              data-testid={testId('phone')}
              inputMode="tel"
              autoComplete="off"
              placeholder={t('customer.form.phonePlaceholder')}
              className="foyer-tabular"
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} sm={12}>
          <Form.Item
            name="nationalId"
            label={t('customer.field.nationalId')}
            rules={[schemaRule('nationalId')]}
            tooltip={t('customer.form.nationalIdHelp')}
          >
            <Input
              data-testid={testId('nationalId')}
              autoComplete="off"
              maxLength={18}
              placeholder={t('customer.form.nationalIdPlaceholder')}
              className="foyer-tabular"
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="birthDate" label={t('customer.field.birthDate')} rules={[schemaRule('birthDate')]}>
            <DatePicker
              data-testid={testId('birthDate')}
              format={DATE_FORMAT}
              placeholder={t('customer.form.birthDatePlaceholder')}
              disabledDate={(d: Dayjs) => d.isAfter(today)}
              defaultPickerValue={dayjs('1990-01-01')}
              showNow={false}
              className="foyer-full-width"
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="gender" label={t('customer.field.gender')} rules={[schemaRule('gender')]}>
        <Radio.Group
          data-testid={testId('gender')}
          role="radiogroup"
          aria-label={t('customer.field.gender')}
          options={GENDERS.map((g) => ({ value: g, label: t(`customer.gender.${g}`) }))}
        />
      </Form.Item>
      <Form.Item name="tags" label={t('customer.field.tags')} rules={[schemaRule('tags')]}>
        <Select
          data-testid={testId('tags')}
          mode="tags"
          tokenSeparators={[',', '，', '、']}
          placeholder={t('customer.form.tagsPlaceholder')}
          options={suggestedTags.map((tag) => ({ value: tag, label: tag }))}
        />
      </Form.Item>
      <Form.Item name="notes" label={t('customer.field.notes')} rules={[schemaRule('notes')]}>
        <Input.TextArea data-testid={testId('notes')} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} showCount />
      </Form.Item>
    </>
  );
}
