/** 用户管理: list, search and filter users; create, edit, disable/enable, reset password, unlock. */
import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  ROLES,
  label,
  roleLabels,
  statusLabels,
  type User,
  type UserListQuery,
  type UserPage,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { formatDateTime } from '../../app/format.ts';
import { useI18n } from '../../app/i18n.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { StatusTag } from '../org/components/UnitStatusTag.tsx';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { RevealIdButton } from './components/RevealIdButton.tsx';
import { SecretModal } from './components/SecretModal.tsx';
import { UserFormModal, type UserFormMode } from './components/UserFormModal.tsx';

type Filters = Pick<UserListQuery, 'q' | 'role' | 'status' | 'unitId'>;
const USER_STATUSES = ['active', 'disabled', 'locked'] as const;

export default function UsersPage() {
  const { t, lang } = useI18n();
  const me = useMe();
  const feedback = useFeedback();
  const isMobile = useIsMobile();
  const [filters, setFilters] = useState<Filters>({});
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<UserPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const [form, setForm] = useState<UserFormMode | null>(null);
  const [secret, setSecret] = useState<{
    user: Pick<User, 'displayName' | 'username'>;
    password: string;
  } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api
      .get<UserPage>('/api/users', { ...filters, page, pageSize }, controller.signal)
      .then(setData, (err: unknown) => feedback.error(err))
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [filters, page, pageSize, tick, feedback]);

  const setFilter = useCallback(<K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((f) => ({ ...f, [key]: value || undefined }));
    setPage(1);
  }, []);

  const reload = () => setTick((n) => n + 1);

  const act = async (user: User, action: 'disable' | 'enable' | 'unlock') => {
    try {
      await api.post(`/api/users/${user.id}/${action}`);
      feedback.success(
        t(action === 'disable' ? 'users.disabled' : action === 'enable' ? 'users.enabled' : 'users.unlocked'),
      );
      reload();
    } catch (err) {
      feedback.error(err);
    }
  };

  const resetPassword = async (user: User) => {
    try {
      const res = await api.post<{ initialPassword: string }>(`/api/users/${user.id}/reset-password`);
      setSecret({ user, password: res.initialPassword });
      reload();
    } catch (err) {
      feedback.error(err);
    }
  };

  const dash = t('common.none');
  const columns: TableColumnsType<User> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      width: 170,
      fixed: isMobile ? undefined : 'left',
      render: (v: string) => <span className="mono">{v}</span>,
    },
    { title: t('users.displayName'), dataIndex: 'displayName', width: 110 },
    { title: t('users.unit'), dataIndex: 'unitName', width: 180, ellipsis: { showTitle: true } },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      width: 200,
      render: (_v, u) => (
        <Space size={[0, 4]} wrap>
          {u.roles.map((r) => (
            <Tooltip key={`${r.role}@${r.unitId}`} title={r.unitName}>
              <Tag color={r.role.endsWith('admin') ? 'blue' : r.role === 'inspector' ? 'purple' : 'default'}>
                {label(roleLabels, r.role, lang)}
                {r.unitId !== u.unitId ? ` @${r.unitName}` : ''}
              </Tag>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    { title: t('users.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v || dash },
    {
      title: t('users.idNumber'),
      dataIndex: 'idNumberMasked',
      width: 240,
      render: (v: string | null, u) =>
        v ? (
          <Space size={4}>
            <span className="mono">{v}</span>
            {me.access.revealPersonalData ? <RevealIdButton user={u} /> : null}
          </Space>
        ) : (
          dash
        ),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 130,
      render: (_v, u) => (
        <Space size={[0, 4]} wrap>
          <StatusTag status={u.status} />
          {u.mustChangePassword ? <Tag color="orange">{t('users.mustChange')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('users.lastLogin'),
      dataIndex: 'lastLoginAt',
      width: 140,
      render: (v: string | null) =>
        v ? formatDateTime(v) : <Typography.Text type="secondary">{t('users.never')}</Typography.Text>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 230,
      fixed: isMobile ? undefined : 'right',
      render: (_v, u) => {
        const self = u.id === me.id;
        return (
          <Space size={0} wrap className="row-actions">
            <Button
              type="link"
              size="small"
              onClick={() => setForm({ type: 'edit', user: u })}
              data-testid="user-edit"
            >
              {t('common.edit')}
            </Button>
            {u.status === 'disabled' ? (
              <Popconfirm
                title={t('users.enableConfirm', { name: u.displayName })}
                onConfirm={() => act(u, 'enable')}
              >
                <Button type="link" size="small" data-testid="user-enable">
                  {t('common.enable')}
                </Button>
              </Popconfirm>
            ) : (
              <Popconfirm
                title={t('users.disableConfirm', { name: u.displayName })}
                onConfirm={() => act(u, 'disable')}
                okButtonProps={{ danger: true }}
                disabled={self}
              >
                <Button type="link" size="small" danger disabled={self} data-testid="user-disable">
                  {t('common.disable')}
                </Button>
              </Popconfirm>
            )}
            <Popconfirm
              title={t('users.resetConfirm', { name: u.displayName })}
              onConfirm={() => resetPassword(u)}
              okButtonProps={{ danger: true }}
              disabled={self}
            >
              <Button type="link" size="small" disabled={self} data-testid="user-reset-password">
                {t('users.resetPassword')}
              </Button>
            </Popconfirm>
            {u.status === 'locked' ? (
              <Popconfirm
                title={`${t('users.unlock')}「${u.displayName}」？`}
                onConfirm={() => act(u, 'unlock')}
              >
                <Button type="link" size="small" data-testid="user-unlock">
                  {t('users.unlock')}
                </Button>
              </Popconfirm>
            ) : null}
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title={t('users.title')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setForm({ type: 'create', unitId: filters.unitId ?? me.unit.id })}
            data-testid="user-create-button"
          >
            {t('users.create')}
          </Button>
        }
      />
      <Card size="small">
        <div className="filter-bar">
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => setFilter('q', v.trim())}
            className="filter-search"
            data-testid="user-search"
          />
          <UnitTreeSelect
            value={filters.unitId}
            onChange={(v) => setFilter('unitId', v)}
            placeholder={t('users.unitFilter')}
            className="filter-unit"
            data-testid="user-filter-unit"
          />
          <Select
            allowClear
            placeholder={t('users.role')}
            value={filters.role}
            onChange={(v) => setFilter('role', v)}
            options={ROLES.map((r) => ({ value: r, label: label(roleLabels, r, lang) }))}
            className="filter-select"
            data-testid="user-filter-role"
          />
          <Select
            allowClear
            placeholder={t('common.status')}
            value={filters.status}
            onChange={(v) => setFilter('status', v)}
            options={USER_STATUSES.map((s) => ({ value: s, label: label(statusLabels, s, lang) }))}
            className="filter-select"
            data-testid="user-filter-status"
          />
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t('common.refresh')} />
        </div>
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items ?? []}
          loading={loading}
          scroll={{ x: 1530 }}
          pagination={{
            current: page,
            pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [10, 20, 50, 100],
            showTotal: (total) => t('common.total', { n: total }),
            onChange: (p, ps) => {
              setPage(ps !== pageSize ? 1 : p);
              setPageSize(ps);
            },
          }}
          data-testid="user-table"
        />
      </Card>
      {form ? (
        <UserFormModal
          mode={form}
          onClose={() => setForm(null)}
          onSaved={({ user, initialPassword }) => {
            setForm(null);
            reload();
            if (initialPassword) {
              setSecret({
                user: user ?? { displayName: '', username: '' },
                password: initialPassword,
              });
            }
          }}
        />
      ) : null}
      {secret ? (
        <SecretModal
          title={t('users.passwordOnceTitle')}
          label={t('users.initialPassword')}
          secret={secret.password}
          note={t('users.passwordOnceHint', {
            name: secret.user.displayName,
            username: secret.user.username,
          })}
          onClose={() => setSecret(null)}
          testId="initial-password"
        />
      ) : null}
    </>
  );
}
