/** 工作台: counts and two charts from GET /api/units/stats. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Row, Skeleton, Statistic } from 'antd';
import { ApartmentOutlined, BankOutlined, BookOutlined, TeamOutlined } from '@ant-design/icons';
import type { UnitStats } from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useI18n } from '../../app/i18n.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { isApiError } from '../../app/api.ts';
import { StageChart } from './components/StageChart.tsx';
import { CountyChart } from './components/CountyChart.tsx';

export default function DashboardPage() {
  const { t } = useI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [stats, setStats] = useState<UnitStats | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) => {
      setError(null);
      api.get<UnitStats>('/api/units/stats', undefined, signal).then(setStats, (err: unknown) => {
        if (err instanceof DOMException && err.name === 'AbortError') return;
        setError(isApiError(err) ? err.message : t('result.error'));
      });
    },
    [t],
  );

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  const users = stats?.byCounty.reduce((sum, c) => sum + c.users, 0) ?? 0;
  // A school's staff see their own school: no county figures to show.
  const showCounties = me.unit.kind !== 'school' && (!stats || stats.byCounty.length > 0);
  const cards = [
    { key: 'schools', title: t('dash.schools'), value: stats?.schools, icon: <BankOutlined /> },
    ...(showCounties
      ? [
          {
            key: 'counties',
            title: t('dash.counties'),
            value: stats?.byCounty.length,
            icon: <ApartmentOutlined />,
          },
          { key: 'users', title: t('dash.users'), value: stats ? users : undefined, icon: <TeamOutlined /> },
        ]
      : []),
    {
      key: 'stages',
      title: t('dash.stages'),
      value: stats?.byStage.filter((s) => s.count > 0).length,
      icon: <BookOutlined />,
    },
  ];

  return (
    <>
      <PageHeader title={t('dash.title')}>
        <div className="page-subtitle">
          {t('dash.welcome', { name: me.displayName })} · {me.unit.name}
        </div>
      </PageHeader>
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error}
          action={<Button onClick={() => load()}>{t('result.retry')}</Button>}
          className="block-gap"
        />
      ) : null}
      <Row gutter={[16, 16]}>
        {cards.map((c) => (
          <Col key={c.key} xs={12} md={24 / cards.length}>
            <Card size="small" data-testid={`stat-${c.key}`}>
              <Statistic title={c.title} value={c.value ?? '-'} prefix={c.icon} loading={!stats && !error} />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={showCounties ? 10 : 12}>
          <Card title={t('dash.byStage')} size="small">
            {stats ? <StageChart byStage={stats.byStage} compact={isMobile} /> : <Skeleton active />}
          </Card>
        </Col>
        {showCounties ? (
          <Col xs={24} lg={14}>
            <Card title={t('dash.byCounty')} size="small">
              {stats ? <CountyChart byCounty={stats.byCounty} compact={isMobile} /> : <Skeleton active />}
            </Card>
          </Col>
        ) : null}
      </Row>
    </>
  );
}
