/** The selected unit's details with 编辑 / 停用 / 启用. */
import { Button, Card, Descriptions, Space, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { EditOutlined, StopOutlined, CheckCircleOutlined } from '@ant-design/icons';
import {
  label,
  localityLabels,
  ownershipLabels,
  stageLabels,
  unitKindLabels,
  type Unit,
} from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';
import { useMe } from '../../../app/auth.tsx';
import { formatDateTime } from '../../../app/format.ts';
import { StatusTag } from './UnitStatusTag.tsx';
import { UnitKindIcon } from './UnitTree.tsx';

interface Props {
  unit: Unit;
  canManage: boolean;
  onEdit: () => void;
  onStatus: (action: 'disable' | 'enable') => void;
}

export function UnitDetails({ unit, canManage, onEdit, onStatus }: Props) {
  const { t, lang } = useI18n();
  const me = useMe();
  const isSchool = unit.kind === 'school';
  const dash = t('common.none');
  const text = (v: string | null | undefined) => v || dash;

  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('org.name'), children: unit.name },
    {
      key: 'code',
      label: isSchool ? t('org.codeSchool') : t('org.codeRegion'),
      children: (
        <Typography.Text copyable={{ text: unit.code }} className="mono">
          {unit.code}
        </Typography.Text>
      ),
    },
    { key: 'kind', label: t('org.kind'), children: label(unitKindLabels, unit.kind, lang) },
    ...(isSchool
      ? [
          { key: 'stage', label: t('org.stage'), children: text(label(stageLabels, unit.stage, lang)) },
          {
            key: 'ownership',
            label: t('org.ownership'),
            children: text(label(ownershipLabels, unit.ownership, lang)),
          },
          {
            key: 'locality',
            label: t('org.locality'),
            children: text(label(localityLabels, unit.locality, lang)),
          },
        ]
      : []),
    {
      key: 'region',
      label: t('org.region'),
      children: unit.regionName ? `${unit.regionName}（${unit.regionCode}）` : text(unit.regionCode),
    },
    { key: 'address', label: t('org.address'), children: text(unit.address), span: 2 },
    {
      key: 'principal',
      label: isSchool ? t('org.principalSchool') : t('org.principal'),
      children: text(unit.principal),
    },
    { key: 'phone', label: t('org.phone'), children: text(unit.phone) },
    {
      key: 'status',
      label: t('common.status'),
      children: (
        <Space size={4} wrap>
          <StatusTag status={unit.status} />
          {unit.status === 'disabled' && unit.disabledReason ? (
            <Typography.Text type="secondary">
              {t('org.disabledReason')}：{unit.disabledReason}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    { key: 'updatedAt', label: t('org.updatedAt'), children: formatDateTime(unit.updatedAt) },
  ];

  // Status is decided one level up (the server enforces it): nobody switches off the root or their own unit.
  const canChangeStatus = canManage && unit.parentId !== null && !me.roles.some((r) => r.unitId === unit.id);
  const actions = canManage ? (
    <Space wrap size={8}>
      <Button icon={<EditOutlined />} onClick={onEdit} data-testid="unit-edit-button">
        {t('common.edit')}
      </Button>
      {!canChangeStatus ? null : unit.status === 'active' ? (
        <Button
          danger
          icon={<StopOutlined />}
          onClick={() => onStatus('disable')}
          data-testid="unit-disable-button"
        >
          {t('common.disable')}
        </Button>
      ) : (
        <Button
          icon={<CheckCircleOutlined />}
          onClick={() => onStatus('enable')}
          data-testid="unit-enable-button"
        >
          {t('common.enable')}
        </Button>
      )}
    </Space>
  ) : null;

  return (
    <Card
      size="small"
      title={
        <Space size={8}>
          <UnitKindIcon kind={unit.kind} />
          <span data-testid="unit-title">{unit.name}</span>
        </Space>
      }
      extra={actions}
      className="unit-details"
      data-testid="unit-details"
    >
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
        items={items}
      />
    </Card>
  );
}
