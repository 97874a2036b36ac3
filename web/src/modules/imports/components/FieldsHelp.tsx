/** The columns an import recognises (GET /api/imports/fields/:kind), with their synonyms and hints. */
import { Collapse, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ImportField, ImportKind } from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { useImportFields } from '../useFields.ts';

export function FieldsHelp({ kind }: { kind: ImportKind }) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const fields = useImportFields(kind);

  const columns: TableColumnsType<ImportField> = [
    {
      title: t('imp.fieldLabel'),
      dataIndex: 'label',
      width: isMobile ? 110 : 170,
      render: (v: string, f) => (
        <Space size={4} wrap>
          <Typography.Text strong={f.required}>{v}</Typography.Text>
          {f.required ? (
            <Tag color="red" variant="filled" className="import-required-tag">
              {t('imp.required')}
            </Tag>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('imp.fieldSynonyms'),
      dataIndex: 'synonyms',
      width: isMobile ? 160 : 300,
      render: (v: string[]) =>
        v.length ? (
          <Space size={[0, 4]} wrap>
            {v.map((s) => (
              <Tag key={s}>{s}</Tag>
            ))}
          </Space>
        ) : (
          t('common.none')
        ),
    },
    {
      title: t('imp.fieldHint'),
      dataIndex: 'hint',
      render: (v: string | null) => (v ? <Typography.Text type="secondary">{v}</Typography.Text> : null),
    },
  ];

  return (
    <Collapse
      size="small"
      className="import-fields"
      items={[
        {
          key: 'fields',
          label: fields ? t('imp.fields', { n: fields.length }) : t('imp.fieldsLoading'),
          children: (
            <>
              <Typography.Paragraph type="secondary" className="import-fields-note">
                {t('imp.fieldsNote')}
              </Typography.Paragraph>
              <Table<ImportField>
                rowKey="key"
                size="small"
                columns={columns}
                dataSource={fields ?? []}
                loading={!fields}
                pagination={false}
                scroll={{ x: isMobile ? 520 : undefined }}
                data-testid="import-fields-table"
              />
            </>
          ),
        },
      ]}
    />
  );
}
