/** Create a school / county bureau under a unit, or edit a unit. */
import { useEffect, useState } from 'react';
import { Button, Col, Form, Input, Modal, Radio, Row, Select, Tag } from 'antd';
import {
  LOCALITIES,
  OWNERSHIPS,
  SCHOOL_STAGES,
  freeText,
  label,
  localityLabels,
  ownershipLabels,
  phone,
  plainName,
  stageLabels,
  unitKindLabels,
  type Unit,
  type UnitCreate,
  type UnitUpdate,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { optionalText, schemaRule } from '../../../app/validation.ts';

type CreatableKind = UnitCreate['kind'];

export type UnitFormMode =
  { type: 'create'; kind: CreatableKind; parent: Unit } | { type: 'edit'; unit: Unit };

interface Values {
  kind: Unit['kind'];
  code: string;
  name: string;
  stage?: NonNullable<Unit['stage']>;
  ownership?: NonNullable<Unit['ownership']>;
  locality?: NonNullable<Unit['locality']>;
  address?: string;
  principal?: string;
  phone?: string;
}

const nameSchema = plainName(80);
const principalSchema = plainName(32);
const addressSchema = freeText(200);

interface Props {
  mode: UnitFormMode;
  onClose: () => void;
  onSaved: (unit: Unit | null) => void;
}

export function UnitFormModal({ mode, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form) ?? (mode.type === 'create' ? mode.kind : mode.unit.kind);
  const isSchool = kind === 'school';
  const editing = mode.type === 'edit';

  useEffect(() => {
    if (mode.type === 'edit') {
      const u = mode.unit;
      form.setFieldsValue({
        kind: u.kind,
        code: u.code,
        name: u.name,
        stage: u.stage ?? undefined,
        ownership: u.ownership ?? undefined,
        locality: u.locality ?? undefined,
        address: u.address ?? undefined,
        principal: u.principal ?? undefined,
        phone: u.phone ?? undefined,
      });
    } else {
      form.setFieldsValue({ kind: mode.kind, ...(mode.kind === 'school' ? { ownership: 'public' } : {}) });
    }
  }, [mode, form]);

  const title =
    mode.type === 'edit'
      ? t('org.editTitle')
      : t(mode.kind === 'school' ? 'org.createSchoolTitle' : 'org.createCountyTitle', {
          parent: mode.parent.name,
        });

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      let saved: Unit | null;
      if (mode.type === 'create') {
        const body: UnitCreate = {
          parentId: mode.parent.id,
          kind: v.kind === 'school' ? 'school' : 'county_bureau',
          code: v.code.trim(),
          name: v.name.trim(),
          ...(v.kind === 'school' ? { stage: v.stage, ownership: v.ownership, locality: v.locality } : {}),
          address: optionalText(v.address),
          principal: optionalText(v.principal),
          phone: optionalText(v.phone),
        };
        saved = await api.post<Unit>('/api/units', body);
      } else {
        const body: UnitUpdate = {
          name: v.name.trim(),
          ...(mode.unit.kind === 'school'
            ? { stage: v.stage, ownership: v.ownership, locality: v.locality }
            : {}),
          address: optionalText(v.address) ?? null,
          principal: optionalText(v.principal) ?? null,
          phone: optionalText(v.phone) ?? null,
        };
        saved = await api.patch<Unit>(`/api/units/${mode.unit.id}`, body);
      }
      feedback.success(mode.type === 'create' ? t('common.created') : t('common.saved'));
      onSaved(saved ?? null);
    } catch (err) {
      feedback.error(err, form, { UNIT_CODE_TAKEN: 'code' });
    } finally {
      setBusy(false);
    }
  };

  const codeRules = isSchool
    ? [{ pattern: /^\d{10}$/, message: t('valid.schoolCode') }]
    : [{ pattern: /^\d{6}$/, message: t('valid.regionCode') }];
  const half = isMobile ? 24 : 12;
  // Under a city bureau both a county bureau and a (city-run) school may be created.
  const kindChoices: Unit['kind'][] =
    mode.type === 'create' && mode.parent.kind === 'city_bureau' ? ['county_bureau', 'school'] : [kind];

  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      width={720}
      destroyOnHidden
      mask={{ closable: false }}
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          loading={busy}
          onClick={() => void submit().catch(() => undefined)}
          data-testid="unit-form-submit"
        >
          {t('common.save')}
        </Button>,
      ]}
    >
      <Form<Values> form={form} layout="vertical" className="unit-form" data-testid="unit-form">
        {kindChoices.length > 1 ? (
          <Form.Item name="kind" label={t('org.kind')}>
            <Radio.Group
              options={kindChoices.map((k) => ({ value: k, label: label(unitKindLabels, k, lang) }))}
              optionType="button"
              data-testid="unit-form-kind"
            />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="kind" hidden>
              <Input />
            </Form.Item>
            <Form.Item label={t('org.kind')}>
              <Tag color="blue" variant="outlined">
                {label(unitKindLabels, kind, lang)}
              </Tag>
            </Form.Item>
          </>
        )}
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item
              name="code"
              label={isSchool ? t('org.codeSchool') : t('org.codeRegion')}
              extra={editing ? undefined : isSchool ? t('org.codeHintSchool') : t('org.codeHintCounty')}
              rules={[{ required: true, message: t('common.required') }, ...codeRules]}
            >
              <Input
                disabled={editing}
                inputMode="numeric"
                maxLength={isSchool ? 10 : 6}
                className="mono"
                data-testid="unit-form-code"
              />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item
              name="name"
              label={t('org.name')}
              rules={[
                { required: true, whitespace: true, message: t('common.required') },
                schemaRule(nameSchema, t),
              ]}
            >
              <Input maxLength={80} data-testid="unit-form-name" />
            </Form.Item>
          </Col>
        </Row>
        {isSchool ? (
          <Row gutter={16}>
            <Col span={half}>
              <Form.Item
                name="stage"
                label={t('org.stage')}
                rules={[{ required: true, message: t('common.required') }]}
              >
                <Select
                  options={SCHOOL_STAGES.map((s) => ({ value: s, label: label(stageLabels, s, lang) }))}
                  data-testid="unit-form-stage"
                />
              </Form.Item>
            </Col>
            <Col span={half}>
              <Form.Item name="ownership" label={t('org.ownership')}>
                <Radio.Group
                  options={OWNERSHIPS.map((o) => ({ value: o, label: label(ownershipLabels, o, lang) }))}
                  data-testid="unit-form-ownership"
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="locality" label={t('org.locality')}>
                <Radio.Group
                  options={LOCALITIES.map((o) => ({ value: o, label: label(localityLabels, o, lang) }))}
                  data-testid="unit-form-locality"
                />
              </Form.Item>
            </Col>
          </Row>
        ) : null}
        <Form.Item name="address" label={t('org.address')} rules={[schemaRule(addressSchema, t)]}>
          <Input maxLength={200} data-testid="unit-form-address" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={half}>
            <Form.Item
              name="principal"
              label={isSchool ? t('org.principalSchool') : t('org.principal')}
              rules={[schemaRule(principalSchema, t)]}
            >
              <Input maxLength={32} data-testid="unit-form-principal" />
            </Form.Item>
          </Col>
          <Col span={half}>
            <Form.Item name="phone" label={t('org.phone')} rules={[schemaRule(phone, t)]}>
              <Input inputMode="tel" maxLength={20} data-testid="unit-form-phone" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
