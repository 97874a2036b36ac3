/** /portal/institutions/:id: what a parent needs to know about one institution, and where to complain. */
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Descriptions, Result, Spin, Tag, Typography } from 'antd';
import {
  label,
  trainingCategoryLabels,
  trainingStatusLabels,
  trainingSubTypeLabels,
  type PublicInstitution,
} from '@dudao/contracts';
import { api } from '../../../app/api.ts';
import { ListBadge } from './InstitutionCard.tsx';
import { usePortalTrainingI18n } from './messages.ts';
import './portal-training.css';

export default function DetailPage() {
  const { id } = useParams<{ id: string }>();
  const { m, lang } = usePortalTrainingI18n();
  const navigate = useNavigate();
  const [d, setD] = useState<PublicInstitution | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<PublicInstitution>(`/api/public/institutions/${id}`)
      .then(setD)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [id]);
  if (error) return <Result status="404" title={error} extra={<Link to="/portal">{m('p.back')}</Link>} />;
  if (!d) return <Spin className="pt-spin" />;
  return (
    <div className="pt-page" data-testid="portal-detail">
      <Typography.Title level={4} className="pt-title">
        {d.name} <ListBadge item={d} />
      </Typography.Title>
      {d.list === 'black' && d.blacklistReason ? (
        <Alert
          type="error"
          showIcon
          message={m('p.blackReason', { r: d.blacklistReason, d: d.blacklistedOn ?? '' })}
          className="pt-tip"
        />
      ) : null}
      <Card size="small">
        <Descriptions column={1} size="small" labelStyle={{ width: 110 }}>
          <Descriptions.Item label={m('p.code')}>{d.creditCode ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={m('p.county')}>{d.county}</Descriptions.Item>
          <Descriptions.Item label={m('p.category')}>
            {label(trainingCategoryLabels, d.category, lang)}
            {d.subType ? ` · ${label(trainingSubTypeLabels, d.subType, lang)}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={m('p.status')}>
            {label(trainingStatusLabels, d.status, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={m('p.licence')}>
            {d.licenceNo ?? '—'}{' '}
            <Tag color={d.licenceValid ? 'blue' : 'warning'}>
              {d.licenceValid ? m('p.licenceValid') : m('p.licenceInvalid')}
            </Tag>
            {d.licenceTo ? <div className="pt-sub">{m('p.validTo', { d: d.licenceTo })}</div> : null}
          </Descriptions.Item>
          <Descriptions.Item label={m('p.prepaid')}>
            <Tag color={d.prepaidSupervised ? 'blue' : 'warning'}>
              {d.prepaidSupervised ? m('p.supervised') : m('p.notSupervised')}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={m('p.venues')}>
            {d.venues.length === 0 ? (
              m('p.noVenue')
            ) : (
              <ul className="pt-venues">
                {d.venues.map((v, n) => (
                  <li key={n}>{v.address}</li>
                ))}
              </ul>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" className="pt-tip">
        <div className="pt-sub">{m('p.complainTo', { b: d.complaintChannel.bureau })}</div>
        <Button
          type="primary"
          block
          onClick={() => navigate(d.complaintChannel.url)}
          data-testid="portal-complain"
        >
          {m('p.complain')}
        </Button>
      </Card>
      <Alert type="info" showIcon message={m('p.tip')} className="pt-tip" />
    </div>
  );
}
