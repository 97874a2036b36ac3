/** Before / after of an audit event, field by field. */
import { Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  label,
  localityLabels,
  ownershipLabels,
  roleLabels,
  stageLabels,
  statusLabels,
  unitKindLabels,
  type AuditEvent,
  type Lang,
} from '@dudao/contracts';
import { useI18n, type MessageKey } from '../../../app/i18n.tsx';

/** Field names we can put a label on; others show as they are. */
const FIELD_LABELS: Record<string, MessageKey> = {
  name: 'org.name',
  code: 'org.code',
  kind: 'org.kind',
  stage: 'org.stage',
  ownership: 'org.ownership',
  locality: 'org.locality',
  address: 'org.address',
  principal: 'org.principal',
  phone: 'org.phone',
  status: 'common.status',
  reason: 'common.reason',
  disabledReason: 'org.disabledReason',
  username: 'users.username',
  displayName: 'users.displayName',
  unitId: 'users.unit',
  roles: 'users.roles',
  idNumber: 'users.idNumber',
  idNumberMasked: 'users.idNumber',
  inspectorSchoolIds: 'users.inspectorSchools',
};

const ENUM_LABELS: Record<string, Record<string, { zh: string; en: string }>> = {
  kind: unitKindLabels,
  stage: stageLabels,
  ownership: ownershipLabels,
  locality: localityLabels,
  status: statusLabels,
  role: roleLabels,
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(field: string, value: unknown, lang: Lang, empty: string): string {
  if (value === undefined) return '';
  if (value === null || value === '') return empty;
  const labels = ENUM_LABELS[field];
  if (labels && typeof value === 'string') return label(labels, value, lang);
  if (field === 'roles' && Array.isArray(value)) {
    return value
      .map((r) =>
        isRecord(r) && typeof r.role === 'string'
          ? `${label(roleLabels, r.role, lang)}${typeof r.unitName === 'string' ? `@${r.unitName}` : ''}`
          : JSON.stringify(r),
      )
      .join('，');
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

interface Row {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

export function AuditDiff({ event }: { event: AuditEvent }) {
  const { t, lang } = useI18n();
  const before = isRecord(event.before) ? event.before : event.before == null ? {} : { value: event.before };
  const after = isRecord(event.after) ? event.after : event.after == null ? {} : { value: event.after };
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const rows: Row[] = fields.map((field) => {
    const b = show(field, before[field], lang, t('audit.empty'));
    const a = show(field, after[field], lang, t('audit.empty'));
    return { field, before: b, after: a, changed: b !== a };
  });
  const both = event.before != null && event.after != null;

  const columns: TableColumnsType<Row> = [
    {
      title: t('audit.field'),
      dataIndex: 'field',
      width: 180,
      render: (f: string) => {
        const key = FIELD_LABELS[f];
        return key ? (
          <span>
            {t(key)}{' '}
            <Typography.Text type="secondary" className="mono small">
              {f}
            </Typography.Text>
          </span>
        ) : (
          <span className="mono">{f}</span>
        );
      },
    },
    {
      title: t('audit.before'),
      dataIndex: 'before',
      render: (v: string, r) => <span className={both && r.changed ? 'diff-old' : undefined}>{v}</span>,
    },
    {
      title: t('audit.after'),
      dataIndex: 'after',
      render: (v: string, r) => (
        <span className={both && r.changed ? 'diff-new' : undefined}>
          {v}
          {both && r.changed ? (
            <Tag color="orange" className="diff-tag">
              Δ
            </Tag>
          ) : null}
        </span>
      ),
    },
  ];

  return (
    <div className="audit-diff" data-testid="audit-diff">
      {rows.length === 0 ? (
        <Typography.Text type="secondary">{t('audit.noDiff')}</Typography.Text>
      ) : (
        <Table<Row>
          rowKey="field"
          size="small"
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 560 }}
          rowClassName={(r) => (both && r.changed ? 'diff-row-changed' : '')}
        />
      )}
      <Typography.Paragraph type="secondary" className="audit-hash">
        {t('audit.hash')}: <span className="mono">{event.hash}</span>
      </Typography.Paragraph>
    </div>
  );
}
