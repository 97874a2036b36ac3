/** Step 1: the templates, the recognised columns, the target unit and the file. */
import { Alert, Button, Space, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import type { ImportKind } from '@dudao/contracts';
import { useMe } from '../../../app/auth.tsx';
import { useFeedback } from '../../../app/feedback.ts';
import { useI18n } from '../../../app/i18n.tsx';
import { UnitTreeSelect } from '../../org/components/UnitTreeSelect.tsx';
import { importUrls } from '../api.ts';
import { FieldsHelp } from './FieldsHelp.tsx';

const ACCEPTED = /\.(xlsx|csv)$/i;

interface Props {
  kind: ImportKind;
  unitId: string;
  onUnitChange: (unitId: string) => void;
  onFile: (file: File) => void;
  /** Why the last upload failed. */
  error: string | null;
  onErrorClose: () => void;
}

export function FileStep({ kind, unitId, onUnitChange, onFile, error, onErrorClose }: Props) {
  const { t } = useI18n();
  const me = useMe();
  const feedback = useFeedback();
  const pickUnit = me.unit.kind !== 'school';

  const accept = (file: File) => {
    if (!ACCEPTED.test(file.name)) feedback.failure(t('imp.badType'));
    else if (file.size === 0) feedback.failure(t('imp.emptyFile'));
    else onFile(file);
  };

  return (
    <div className="import-file-step">
      <section className="import-section">
        <Typography.Title level={5} className="import-section-title">
          {t('imp.templates')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" className="import-section-note">
          {t('imp.templateHint')}
        </Typography.Paragraph>
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            href={importUrls.template(kind, 'xlsx')}
            download
            data-testid="import-template-xlsx"
          >
            {t('imp.templateXlsx')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={importUrls.template(kind, 'csv')}
            download
            data-testid="import-template-csv"
          >
            {t('imp.templateCsv')}
          </Button>
        </Space>
      </section>
      <section className="import-section" data-testid="import-fields">
        <FieldsHelp kind={kind} />
      </section>
      {pickUnit ? (
        <section className="import-section import-unit">
          <span className="import-unit-label">{t('imp.unit')}</span>
          <UnitTreeSelect
            value={unitId}
            onChange={(v) => onUnitChange(v ?? me.unit.id)}
            knownNames={{ [me.unit.id]: me.unit.name }}
            allowClear={false}
            className="import-unit-select"
            data-testid="import-unit"
          />
          <Typography.Text type="secondary" className="small import-unit-hint">
            {t('imp.unitHint')}
          </Typography.Text>
        </section>
      ) : null}
      <section className="import-section">
        {error ? (
          <Alert
            type="error"
            showIcon
            title={error}
            closable={{ onClose: onErrorClose }}
            className="import-block"
            data-testid="import-upload-error"
          />
        ) : null}
        <Upload.Dragger
          accept=".xlsx,.csv"
          multiple={false}
          showUploadList={false}
          beforeUpload={(file) => {
            accept(file);
            return Upload.LIST_IGNORE;
          }}
          data-testid="import-dragger"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('imp.drop')}</p>
          <p className="ant-upload-hint">{t('imp.dropHint')}</p>
        </Upload.Dragger>
      </section>
    </div>
  );
}
