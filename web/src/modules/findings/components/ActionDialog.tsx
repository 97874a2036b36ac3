/**
 * The steps of the rectification loop on one finding: 落实整改措施 (start), 提交整改报告 (submit: report,
 * completion date, photos — kept as a draft and sent when the network allows, for a phone in the field),
 * 验收销号 (verify), 退回 (return, with a reason), 延期 (extend) and 备注 (comment). A modal on desktop, a
 * full-screen drawer on a phone.
 */
import { useState, type ReactNode } from 'react';
import { Alert, Button, Drawer, Form, Input, Modal, Typography } from 'antd';
import {
  FindingComment,
  FindingExtend,
  FindingReturn,
  FindingStart,
  FindingSubmit,
  FindingVerify,
  type FindingDetail,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { draftSavedText, offlinePendingText, useDraft, useSubmitWhenOnline } from '../../../app/offline.ts';
import { PhotoField, uploadPhotos, type PhotoValue } from '../../../app/PhotoField.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { optionalText, schemaRule } from '../../../app/validation.ts';
import { useFindingI18n, type FindingMessageKey } from '../messages.ts';
import { addDays, chinaToday } from './labels.tsx';

export type FindingAction = 'start' | 'submit' | 'verify' | 'return' | 'extend' | 'comment';

interface Values {
  measures?: string;
  interimControls?: string;
  report?: string;
  completedOn?: string;
  photos?: PhotoValue[];
  note?: string;
  reason?: string;
  deadline?: string;
}

const TITLES: Record<FindingAction, FindingMessageKey> = {
  start: 'fd.act.start',
  submit: 'fd.act.submit',
  verify: 'fd.act.verify',
  return: 'fd.act.return',
  extend: 'fd.act.extend',
  comment: 'fd.act.comment',
};

interface Props {
  action: FindingAction;
  finding: FindingDetail;
  onClose: () => void;
  onDone: (finding: FindingDetail) => void;
}

export function ActionDialog({ action, finding, onClose, onDone }: Props) {
  const { t, f, lang } = useFindingI18n();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const { submit, pending } = useSubmitWhenOnline();
  // The report and its photos are what a principal writes on a phone: keep them as a draft.
  const drafted = action === 'submit' || action === 'start';
  const empty: Values =
    action === 'submit'
      ? { completedOn: chinaToday(), photos: [] }
      : action === 'start'
        ? { measures: finding.measures ?? undefined, interimControls: finding.interimControls ?? undefined }
        : action === 'extend'
          ? { deadline: addDays(finding.deadline > chinaToday() ? finding.deadline : chinaToday(), 15) }
          : {};
  const [draft, setDraft, clearDraft, savedAt] = useDraft<Values>(`finding-${action}:${finding.id}`, empty);
  const initial = drafted ? draft : empty;
  const required = { required: true, message: t('common.required') };

  const send = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const path = `/api/findings/${finding.id}/${action}`;
      const result = await submit(async () => {
        switch (action) {
          case 'start':
            return api.post<FindingDetail>(path, {
              measures: v.measures?.trim(),
              ...(optionalText(v.interimControls)
                ? { interimControls: optionalText(v.interimControls) }
                : {}),
            });
          case 'submit': {
            const fileIds = await uploadPhotos(v.photos, finding.unitId);
            return api.post<FindingDetail>(path, {
              report: v.report?.trim(),
              completedOn: v.completedOn,
              ...(fileIds.length > 0 ? { fileIds } : {}),
            });
          }
          case 'verify':
            return api.post<FindingDetail>(path, optionalText(v.note) ? { note: optionalText(v.note) } : {});
          case 'return':
            return api.post<FindingDetail>(path, { reason: v.reason?.trim() });
          case 'extend':
            return api.post<FindingDetail>(path, { deadline: v.deadline, reason: v.reason?.trim() });
          case 'comment': {
            const fileIds = await uploadPhotos(v.photos, finding.unitId);
            return api.post<FindingDetail>(path, {
              note: v.note?.trim(),
              ...(fileIds.length > 0 ? { fileIds } : {}),
            });
          }
        }
      });
      if (drafted) clearDraft();
      feedback.success(f('fd.done'));
      onDone(result);
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  };

  let fields: ReactNode = null;
  switch (action) {
    case 'start':
      fields = (
        <>
          <Form.Item
            name="measures"
            label={f('fd.measures')}
            rules={[required, schemaRule(FindingStart.shape.measures, t)]}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount data-testid="finding-action-measures" />
          </Form.Item>
          <Form.Item
            name="interimControls"
            label={f('fd.interimControls')}
            extra={finding.severity === 'serious' ? f('fd.interimRequired') : undefined}
            rules={[
              ...(finding.severity === 'serious' ? [required] : []),
              schemaRule(FindingStart.shape.interimControls, t),
            ]}
          >
            <Input.TextArea rows={3} maxLength={1000} data-testid="finding-action-interim" />
          </Form.Item>
        </>
      );
      break;
    case 'submit':
      fields = (
        <>
          <Form.Item
            name="report"
            label={f('fd.report')}
            rules={[required, schemaRule(FindingSubmit.shape.report, t)]}
          >
            <Input.TextArea
              rows={5}
              maxLength={4000}
              showCount
              placeholder={f('fd.reportPlaceholder')}
              data-testid="finding-action-report"
            />
          </Form.Item>
          <Form.Item name="completedOn" label={f('fd.completedOn')} rules={[required]}>
            <Input type="date" max={chinaToday()} data-testid="finding-action-completed" />
          </Form.Item>
          <Form.Item name="photos" label={f('fd.evidence')}>
            <PhotoField unitId={finding.unitId} max={9} />
          </Form.Item>
        </>
      );
      break;
    case 'verify':
      fields = (
        <>
          <Typography.Paragraph>{f('fd.verifyConfirm')}</Typography.Paragraph>
          <Form.Item name="note" label={f('fd.verifyNote')} rules={[schemaRule(FindingVerify.shape.note, t)]}>
            <Input.TextArea rows={3} maxLength={1000} data-testid="finding-action-note" />
          </Form.Item>
        </>
      );
      break;
    case 'return':
      fields = (
        <Form.Item
          name="reason"
          label={f('fd.returnReason')}
          rules={[required, schemaRule(FindingReturn.shape.reason, t)]}
        >
          <Input.TextArea rows={4} maxLength={1000} showCount data-testid="finding-action-reason" />
        </Form.Item>
      );
      break;
    case 'extend':
      fields = (
        <>
          <Form.Item name="deadline" label={f('fd.newDeadline')} rules={[required]}>
            <Input type="date" min={addDays(finding.deadline, 1)} data-testid="finding-action-deadline" />
          </Form.Item>
          <Form.Item
            name="reason"
            label={f('fd.extendReason')}
            rules={[required, schemaRule(FindingExtend.shape.reason, t)]}
          >
            <Input.TextArea rows={3} maxLength={500} data-testid="finding-action-reason" />
          </Form.Item>
        </>
      );
      break;
    case 'comment':
      fields = (
        <>
          <Form.Item
            name="note"
            label={f('fd.note')}
            rules={[required, schemaRule(FindingComment.shape.note, t)]}
          >
            <Input.TextArea rows={4} maxLength={1000} showCount data-testid="finding-action-note" />
          </Form.Item>
          <Form.Item name="photos" label={f('fd.attachments')}>
            <PhotoField unitId={finding.unitId} max={9} />
          </Form.Item>
        </>
      );
      break;
  }

  const body = (
    <>
      {pending ? (
        <Alert type="warning" showIcon title={offlinePendingText(lang)} className="form-alert" />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onValuesChange={drafted ? (_c, all) => setDraft(all) : undefined}
        disabled={busy}
      >
        {fields}
      </Form>
    </>
  );
  const okButton = (
    <Button
      type="primary"
      danger={action === 'return'}
      loading={busy}
      onClick={() => void send().catch(() => undefined)}
      data-testid="finding-action-ok"
    >
      {f(TITLES[action])}
    </Button>
  );
  const footer = (
    <div className="finding-drawer-footer">
      <Typography.Text type="secondary" className="small">
        {drafted ? draftSavedText(lang, savedAt) : ''}
      </Typography.Text>
      <span className="finding-drawer-buttons">
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        {okButton}
      </span>
    </div>
  );

  if (isMobile)
    return (
      <Drawer
        open
        title={f(TITLES[action])}
        onClose={onClose}
        size="100%"
        destroyOnHidden
        mask={{ closable: false }}
        footer={footer}
        data-testid={`finding-action-${action}`}
      >
        {body}
      </Drawer>
    );
  return (
    <Modal
      open
      title={f(TITLES[action])}
      onCancel={onClose}
      footer={footer}
      destroyOnHidden
      mask={{ closable: false }}
      width={action === 'submit' || action === 'start' ? 640 : 520}
      data-testid={`finding-action-${action}`}
    >
      {body}
    </Modal>
  );
}
