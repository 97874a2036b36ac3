/** One institution as the public sees it: name, list, county and category, licence, prepaid supervision. */
import { Card, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import {
  label,
  listStatusLabels,
  trainingCategoryLabels,
  trainingSubTypeLabels,
  type PublicInstitution,
} from '@dudao/contracts';
import { usePortalTrainingI18n } from './messages.ts';

export function ListBadge({ item }: { item: Pick<PublicInstitution, 'list'> }) {
  const { lang } = usePortalTrainingI18n();
  if (item.list === 'none') return null;
  return (
    <Tag color={item.list === 'white' ? 'success' : 'error'} className="pt-list-tag">
      {label(listStatusLabels, item.list, lang)}
    </Tag>
  );
}

export function InstitutionCard({ item }: { item: PublicInstitution }) {
  const { m, lang } = usePortalTrainingI18n();
  return (
    <Card size="small" className="pt-card" data-testid="portal-institution">
      <Link to={`/portal/institutions/${item.id}`} className="pt-card-name">
        {item.name}
      </Link>
      <ListBadge item={item} />
      <div className="pt-card-meta">
        {item.county.replace(/教育局$/, '')} · {label(trainingCategoryLabels, item.category, lang)}
        {item.subType ? `·${label(trainingSubTypeLabels, item.subType, lang)}` : ''}
      </div>
      <Space wrap size={4} className="pt-card-tags">
        <Tag color={item.licenceValid ? 'blue' : 'warning'}>
          {m('p.licence')}
          {item.licenceValid ? m('p.licenceValid') : m('p.licenceInvalid')}
        </Tag>
        <Tag color={item.prepaidSupervised ? 'blue' : 'warning'}>
          {m('p.prepaid')}：{item.prepaidSupervised ? m('p.supervised') : m('p.notSupervised')}
        </Tag>
      </Space>
      {item.list === 'black' && item.blacklistReason ? (
        <Typography.Paragraph type="danger" className="pt-card-black">
          {m('p.blackReason', { r: item.blacklistReason, d: item.blacklistedOn ?? '' })}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}
