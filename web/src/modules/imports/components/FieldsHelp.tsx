/** The columns an import recognises (GET /api/imports/fields/:kind), with their synonyms and hints. */
import { useEffect, useState } from 'react';
import { Collapse, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { ImportField, ImportFields, ImportKind } from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { useIsMobile } from '../../../app/responsive.ts';
import { importUrls } from '../api.ts';

export function FieldsHelp({ kind }: { kind: ImportKind }) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [fields, setFields] = useState<ImportField[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api.get<ImportFields>(importUrls.fields(kind), undefined, controller.signal).then(
      (body) => setFields(body.fields),
      (err: unknown) => feedback.error(err),
    );
    return () => controller.abort();
  }, [kind, feedback]);

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
