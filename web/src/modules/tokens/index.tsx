/** API 令牌: list, create (token shown once), revoke. */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { ApiToken } from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useFeedback } from '../../app/feedback.ts';
import { formatDateTime } from '../../app/format.ts';
import { useI18n } from '../../app/i18n.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { SecretModal } from '../users/components/SecretModal.tsx';
import { TokenCreateModal } from './components/TokenCreateModal.tsx';

function tokenState(token: ApiToken): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}

export default function TokensPage() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  const load = useCallback(() => {
    setLoading(true);
    api
      .get<ApiToken[]>('/api/tokens')
      .then(setTokens, (err: unknown) => feedback.error(err))
      .finally(() => setLoading(false));
  }, [feedback]);

  useEffect(load, [load]);

  const revoke = async (token: ApiToken) => {
    try {
      await api.delete(`/api/tokens/${token.id}`);
      feedback.success(t('tokens.revoked'));
      load();
    } catch (err) {
      feedback.error(err);
    }
  };

  const never = (text: string) => <Typography.Text type="secondary">{text}</Typography.Text>;
  const columns: TableColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', width: 180 },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      width: 130,
      render: (v: string) => <span className="mono">{v}…</span>,
    },
    {
      title: t('tokens.owner'),
      dataIndex: 'username',
      width: 130,
      render: (v: string) => <span className="mono">{v}</span>,
    },
    {
      title: t('tokens.createdAt'),
      dataIndex: 'createdAt',
      width: 150,
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('tokens.expiresAt'),
      dataIndex: 'expiresAt',
      width: 150,
      render: (v: string | null) => (v ? formatDateTime(v) : never(t('tokens.noExpiry'))),
    },
    {
      title: t('tokens.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      width: 150,
      render: (v: string | null) => (v ? formatDateTime(v) : never(t('tokens.never'))),
    },
    {
      title: t('common.status'),
      key: 'state',
      width: 90,
      render: (_v, token) => {
        const state = tokenState(token);
        const color = state === 'active' ? 'success' : state === 'revoked' ? 'error' : 'default';
        return <Tag color={color}>{t(`tokens.${state}`)}</Tag>;
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_v, token) =>
        token.revokedAt ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirm', { name: token.name })}
            onConfirm={() => revoke(token)}
            okButtonProps={{ danger: true }}
          >
            <Button type="link" size="small" danger data-testid="token-revoke">
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('tokens.title')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={load} aria-label={t('common.refresh')} />
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="token-create-button"
            >
              {t('tokens.create')}
            </Button>
          </>
        }
      />
      <Alert type="info" showIcon title={t('tokens.intro')} className="block-gap" />
      <Card size="small">
        <Table<ApiToken>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tokens}
          loading={loading}
          scroll={{ x: 1070 }}
          pagination={{
            showTotal: (total) => t('common.total', { n: total }),
            hideOnSinglePage: false,
            pageSize: 20,
          }}
          data-testid="token-table"
        />
      </Card>
      {creating ? (
        <TokenCreateModal
          onClose={() => setCreating(false)}
          onCreated={(res) => {
            setCreating(false);
            setCreated(res.token);
            load();
          }}
        />
      ) : null}
      {created ? (
        <SecretModal
          title={t('tokens.onceTitle')}
          label="Authorization: Bearer …"
          secret={created}
          note={t('tokens.onceHint')}
          onClose={() => setCreated(null)}
          testId="created-token"
        />
      ) : null}
    </>
  );
}
