/**
 * The device form's inputs: the kind, a name, the connection (a serial port with its line settings,
 * or a network address) and the kind's own options. Only the inputs of the chosen kind and
 * connection are shown. Every input is checked with core's `DeviceConfig` when it is left, and
 * again as it is fixed; each has `data-testid="device-form-<field>"`.
 */
import { AutoComplete, Col, Form, Input, InputNumber, Radio, Row, Select, Switch, Typography, type FormInstance, type FormRule } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { BAUD_RATES, DEVICE_KINDS, type DeviceKind } from '../../../core/devices/device-config';
import { appErrorOf, messageOf } from '../host/app-error';
import { useTRPC } from '../host/trpc';
import {
  CODEPAGES,
  COLUMNS,
  DISPLAY_CODECS,
  DISPLAY_ENCODINGS,
  GATE_BOARDS,
  PARITIES,
  fieldIssues,
  visibleFields,
  type DeviceFormField,
  type DeviceFormValues,
  type TransportType,
} from './device-form-values';

interface Props {
  form: FormInstance<DeviceFormValues>;
  /** The kind of a configured device cannot change. */
  kindLocked: boolean;
}

const testId = (field: DeviceFormField) => `device-form-${field}`;

/** Names of command sets and encodings are the same in every language. */
const CODEPAGE_LABEL = { gb18030: 'GB18030', gbk: 'GBK' } as const;
const CODEC_LABEL = { cd5220: 'CD5220', epson: 'Epson ESC/POS' } as const;

export function DeviceFormFields({ form, kindLocked }: Props) {
  const { t } = useTranslation();
  const kind: DeviceKind = Form.useWatch('kind', form) ?? 'printer';
  const transportType: TransportType = Form.useWatch('transportType', form) ?? 'serial';
  const board = Form.useWatch('board', form) ?? 'modbus';
  const shown = new Set(visibleFields(kind, transportType, board));

  const schemaRule =
    (field: DeviceFormField): FormRule =>
    () => ({
      validator: async () => {
        const [issue] = fieldIssues(field, form.getFieldsValue(true));
        if (issue) throw new Error(messageOf(t, issue.key, issue.params));
      },
    });
  const item = (field: DeviceFormField) => ({ name: field, rules: [schemaRule(field)] });

  return (
    <>
      <Form.Item {...item('kind')} label={t('devices.form.kind')} required extra={kindLocked ? t('devices.form.kindLocked') : undefined}>
        <Radio.Group
          data-testid={testId('kind')}
          aria-label={t('devices.form.kind')}
          optionType="button"
          buttonStyle="solid"
          disabled={kindLocked}
          options={DEVICE_KINDS.map((k) => ({ value: k, label: t(`devices.kind.${k}`) }))}
        />
      </Form.Item>
      <Form.Item {...item('name')} label={t('devices.form.name')} required>
        <Input data-testid={testId('name')} autoComplete="off" maxLength={40} placeholder={t('devices.form.namePlaceholder')} autoFocus />
      </Form.Item>
      <Form.Item {...item('transportType')} label={t('devices.form.transport')} required>
        <Radio.Group
          data-testid={testId('transportType')}
          aria-label={t('devices.form.transport')}
          optionType="button"
          options={[
            { value: 'serial', label: t('devices.form.transport.serial') },
            { value: 'tcp', label: t('devices.form.transport.tcp'), disabled: kind === 'scanner' },
          ]}
        />
      </Form.Item>

      {shown.has('path') && (
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item {...item('path')} label={t('devices.form.path')} required>
              <SerialPortInput />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item {...item('baudRate')} label={t('devices.form.baudRate')} required>
              <Select
                data-testid={testId('baudRate')}
                aria-label={t('devices.form.baudRate')}
                showSearch
                options={BAUD_RATES.map((b) => ({ value: b, label: String(b) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item {...item('parity')} label={t('devices.form.parity')}>
              <Select
                data-testid={testId('parity')}
                aria-label={t('devices.form.parity')}
                options={PARITIES.map((p) => ({ value: p, label: t(`devices.form.parity.${p}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      )}
      {shown.has('host') && (
        <Row gutter={16}>
          <Col xs={24} sm={16}>
            <Form.Item {...item('host')} label={t('devices.form.host')} required>
              <Input data-testid={testId('host')} autoComplete="off" placeholder="192.168.1.20" className="foyer-tabular" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item {...item('port')} label={t('devices.form.port')} required>
              <InputNumber<number> data-testid={testId('port')} className="foyer-full-width foyer-tabular" controls={false} />
            </Form.Item>
          </Col>
        </Row>
      )}

      {shown.has('columns') && (
        <Row gutter={16}>
          <Col xs={24} sm={14}>
            <Form.Item {...item('columns')} label={t('devices.form.columns')}>
              <Radio.Group
                data-testid={testId('columns')}
                aria-label={t('devices.form.columns')}
                optionType="button"
                options={COLUMNS.map((c) => ({ value: c, label: t(`devices.form.columns.${c}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item {...item('codepage')} label={t('devices.form.codepage')}>
              <Radio.Group
                data-testid={testId('codepage')}
                aria-label={t('devices.form.codepage')}
                optionType="button"
                options={CODEPAGES.map((c) => ({ value: c, label: CODEPAGE_LABEL[c] }))}
              />
            </Form.Item>
          </Col>
        </Row>
      )}
      {shown.has('codec') && (
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item {...item('codec')} label={t('devices.form.codec')}>
              <Radio.Group
                data-testid={testId('codec')}
                aria-label={t('devices.form.codec')}
                optionType="button"
                options={DISPLAY_CODECS.map((c) => ({ value: c, label: CODEC_LABEL[c] }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item {...item('encoding')} label={t('devices.form.encoding')}>
              <Radio.Group
                data-testid={testId('encoding')}
                aria-label={t('devices.form.encoding')}
                optionType="button"
                options={DISPLAY_ENCODINGS.map((e) => ({ value: e, label: t(`devices.form.encoding.${e}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      )}
      {shown.has('board') && (
        <>
          <Form.Item {...item('board')} label={t('devices.form.board')}>
            <Radio.Group
              data-testid={testId('board')}
              aria-label={t('devices.form.board')}
              optionType="button"
              options={GATE_BOARDS.map((b) => ({ value: b, label: t(`devices.form.board.${b}`) }))}
            />
          </Form.Item>
          <Row gutter={16}>
            {shown.has('unit') && (
              <Col xs={12} sm={6}>
                <Form.Item {...item('unit')} label={t('devices.form.unit')}>
                  <InputNumber<number> data-testid={testId('unit')} className="foyer-full-width" controls={false} />
                </Form.Item>
              </Col>
            )}
            <Col xs={12} sm={6}>
              <Form.Item {...item('relay')} label={board === 'lcus' ? t('devices.form.relay.lcus') : t('devices.form.relay')}>
                <InputNumber<number> data-testid={testId('relay')} className="foyer-full-width" controls={false} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item {...item('pulseMs')} label={t('devices.form.pulseMs')}>
                <InputNumber<number> data-testid={testId('pulseMs')} className="foyer-full-width" controls={false} step={100} />
              </Form.Item>
            </Col>
            {shown.has('passageInput') && (
              <Col xs={12} sm={6}>
                <Form.Item {...item('passageInput')} label={t('devices.form.passageInput')} tooltip={t('devices.form.passageInputHelp')}>
                  <InputNumber<number>
                    data-testid={testId('passageInput')}
                    className="foyer-full-width"
                    controls={false}
                    placeholder={t('devices.form.passageInputNone')}
                  />
                </Form.Item>
              </Col>
            )}
          </Row>
        </>
      )}
      {shown.has('duplicateWindowMs') && (
        <Form.Item {...item('duplicateWindowMs')} label={t('devices.form.duplicateWindowMs')} tooltip={t('devices.form.duplicateWindowHelp')}>
          <InputNumber<number> data-testid={testId('duplicateWindowMs')} className="foyer-narrow-number" controls={false} step={100} />
        </Form.Item>
      )}

      <Form.Item {...item('enabled')} label={t('devices.form.enabled')} valuePropName="checked" extra={t('devices.form.enabledHelp')}>
        <Switch data-testid={testId('enabled')} />
      </Form.Item>
    </>
  );
}

/**
 * The serial port: the ports this PC has (USB adapters show their maker) to pick from, or typed by
 * hand (a /dev/serial/by-id link, a port that is not plugged in yet).
 */
function SerialPortInput(props: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const ports = useQuery({ ...trpc.devices.ports.queryOptions(), retry: false, staleTime: 10_000 });
  const options = (ports.data ?? []).map((p) => ({
    value: p.path,
    label: (
      <span className="foyer-port-option">
        <span className="foyer-tabular">{p.path}</span>
        {p.manufacturer && <Typography.Text type="secondary">{p.manufacturer}</Typography.Text>}
      </span>
    ),
  }));
  const hint = ports.isError
    ? messageOf(t, appErrorOf(ports.error).key, appErrorOf(ports.error).params)
    : ports.isPending
      ? t('devices.form.portsLoading')
      : options.length === 0
        ? t('devices.form.portsNone')
        : null;
  return (
    <>
      <AutoComplete
        value={props.value}
        onChange={(v: string) => props.onChange?.(v)}
        options={options}
        showSearch={{ filterOption: (input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase()) }}
        popupMatchSelectWidth={false}
      >
        <Input
          id={props.id}
          data-testid={testId('path')}
          autoComplete="off"
          spellCheck={false}
          placeholder={t('devices.form.pathPlaceholder')}
          className="foyer-tabular"
        />
      </AutoComplete>
      {hint && (
        <Typography.Text type="secondary" className="foyer-hint">
          {hint}
        </Typography.Text>
      )}
    </>
  );
}
