/**
 * 登记问题: a finding entered by hand (or a school's self-check), with photos taken on the spot, kept as a
 * draft while it is being written and sent when the network allows (PhotoField + offline.ts).
 */
import { useState } from 'react';
import { Alert, Button, Col, Drawer, Form, Input, Row, Select, Switch, Typography } from 'antd';
import {
  FINDING_CATEGORIES,
  FINDING_SEVERITIES,
  FindingCreate,
  findingCategoryLabels,
  findingSeverityLabels,
  findingSourceLabels,
  label,
  type FindingCategory,
  type FindingDetail,
  type FindingSeverity,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useMe } from '../../../app/auth.tsx';
import { useFeedback } from '../../../app/feedback.ts';
import { draftSavedText, offlinePendingText, useDraft, useSubmitWhenOnline } from '../../../app/offline.ts';
import { PhotoField, uploadPhotos, type PhotoValue } from '../../../app/PhotoField.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { optionalText, schemaRule } from '../../../app/validation.ts';
import { UnitTreeSelect } from '../../org/components/UnitTreeSelect.tsx';
import { useFindingI18n } from '../messages.ts';
import { addDays, chinaToday } from './labels.tsx';

interface Values {
  unitId?: string;
  source: 'manual' | 'self_check';
  category?: FindingCategory;
  subcategory?: string;
  severity: FindingSeverity;
  title?: string;
  description?: string;
  location?: string;
  basis?: string;
  deadline?: string;
  photos?: PhotoValue[];
  rectifiedOnSite: boolean;
  notify: boolean;
}

interface Props {
  onClose: () => void;
  onSaved: (finding: FindingDetail) => void;
}

const shape = FindingCreate.shape;

export function RaiseDrawer({ onClose, onSaved }: Props) {
  const { t, f, lang } = useFindingI18n();
  const me = useMe();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const atSchool = me.unit.kind === 'school';
  const empty: Values = {
    unitId: atSchool ? me.unit.id : undefined,
    source: atSchool ? 'self_check' : 'manual',
    severity: 'general',
    deadline: addDays(chinaToday(), 15),
    photos: [],
    rectifiedOnSite: false,
    notify: true,
  };
  const [draft, setDraft, clearDraft, savedAt] = useDraft<Values>(`finding-raise:${me.id}`, empty);
  const [restored, setRestored] = useState(() => savedAt !== null);
  const [form] = Form.useForm<Values>();
  const unitId = Form.useWatch('unitId', form) ?? draft.unitId;
  const onSite = Form.useWatch('rectifiedOnSite', form) ?? draft.rectifiedOnSite;
  const { submit, pending } = useSubmitWhenOnline();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const v = await form.validateFields();
    if (!v.unitId || !v.category || !v.title || !v.deadline) return;
    const target = v.unitId;
    setBusy(true);
    try {
      const created = await submit(async () => {
        const fileIds = await uploadPhotos(v.photos, target);
        const body: FindingCreate = {
          unitId: target,
          source: v.source,
          category: v.category!,
          severity: v.severity,
          title: v.title!.trim(),
          deadline: v.deadline!,
          rectifiedOnSite: v.rectifiedOnSite,
          notify: v.rectifiedOnSite ? false : v.notify,
          ...(optionalText(v.subcategory) ? { subcategory: optionalText(v.subcategory) } : {}),
          ...(optionalText(v.description) ? { description: optionalText(v.description) } : {}),
          ...(optionalText(v.location) ? { location: optionalText(v.location) } : {}),
          ...(optionalText(v.basis) ? { basis: optionalText(v.basis) } : {}),
          ...(fileIds.length > 0 ? { fileIds } : {}),
        };
        return api.post<FindingDetail>('/api/findings', body);
      });
      clearDraft();
      feedback.success(f('fd.raised', { no: created.no }));
      onSaved(created);
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('common.required') };

  return (
    <Drawer
      open
      title={f('fd.raiseTitle')}
      onClose={onClose}
      size={isMobile ? '100%' : 640}
      destroyOnHidden
      mask={{ closable: false }}
      footer={
        <div className="finding-drawer-footer">
          <Typography.Text type="secondary" className="small">
            {draftSavedText(lang, savedAt)}
          </Typography.Text>
          <span className="finding-drawer-buttons">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={busy}
              onClick={() => void save().catch(() => undefined)}
              data-testid="finding-raise-submit"
            >
              {t('common.save')}
            </Button>
          </span>
        </div>
      }
      data-testid="finding-raise-drawer"
    >
      {pending ? (
        <Alert type="warning" showIcon title={offlinePendingText(lang)} className="form-alert" />
      ) : null}
      {restored && !pending ? (
        <Alert
          type="info"
          showIcon
          title={f('fd.draftRestored')}
          className="form-alert"
          action={
            <Button
              size="small"
              onClick={() => {
                clearDraft();
                setRestored(false);
                form.resetFields();
                form.setFieldsValue({
                  ...empty,
                  category: undefined,
                  subcategory: undefined,
                  title: undefined,
                  description: undefined,
                  location: undefined,
                  basis: undefined,
                });
              }}
            >
              {f('fd.discardDraft')}
            </Button>
          }
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={draft}
        onValuesChange={(_changed, all) => setDraft(all)}
        disabled={busy}
      >
        <Row gutter={16}>
          <Col xs={24} md={14}>
            <Form.Item
              name="unitId"
              label={f('fd.unit')}
              rules={[{ required: true, message: f('fd.pickSchool') }]}
            >
              {atSchool ? (
                <Select options={[{ value: me.unit.id, label: me.unit.name }]} disabled />
              ) : (
                <UnitTreeSelect placeholder={f('fd.pickSchool')} data-testid="finding-form-unit" />
              )}
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="source" label={f('fd.source')}>
              <Select
                options={(['manual', 'self_check'] as const).map((s) => ({
                  value: s,
                  label: label(findingSourceLabels, s, lang),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={10}>
            <Form.Item name="category" label={f('fd.category')} rules={[required]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={FINDING_CATEGORIES.map((c) => ({
                  value: c,
                  label: label(findingCategoryLabels, c, lang),
                }))}
                data-testid="finding-form-category"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item name="severity" label={f('fd.severity')} rules={[required]}>
              <Select
                options={FINDING_SEVERITIES.map((s) => ({
                  value: s,
                  label: label(findingSeverityLabels, s, lang),
                }))}
                data-testid="finding-form-severity"
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={7}>
            <Form.Item name="deadline" label={f('fd.deadline')} rules={[required]}>
              <Input type="date" min={chinaToday()} data-testid="finding-form-deadline" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="title" label={f('fd.titleField')} rules={[required, schemaRule(shape.title, t)]}>
              <Input
                maxLength={120}
                placeholder={f('fd.titlePlaceholder')}
                data-testid="finding-form-title"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="description"
              label={f('fd.description')}
              rules={[schemaRule(shape.description, t)]}
            >
              <Input.TextArea rows={3} maxLength={2000} showCount data-testid="finding-form-description" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="location" label={f('fd.location')} rules={[schemaRule(shape.location, t)]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="subcategory"
              label={f('fd.subcategory')}
              rules={[schemaRule(shape.subcategory, t)]}
            >
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="basis" label={f('fd.basis')} rules={[schemaRule(shape.basis, t)]}>
              <Input.TextArea rows={2} maxLength={500} placeholder={f('fd.basisPlaceholder')} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="photos" label={f('fd.photos')}>
              <PhotoField unitId={unitId} max={9} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="rectifiedOnSite"
              label={f('fd.onSite')}
              valuePropName="checked"
              extra={f('fd.onSiteHint')}
            >
              <Switch data-testid="finding-form-onsite" />
            </Form.Item>
          </Col>
          {onSite ? null : (
            <Col xs={24} md={12}>
              <Form.Item
                name="notify"
                label={f('fd.notifyNow')}
                valuePropName="checked"
                extra={f('fd.notifyNowHint')}
              >
                <Switch data-testid="finding-form-notify" />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Drawer>
  );
}
