/**
 * 安全网格 (全市有网、网中有格、格中有人、人人有责): a school keeps its grids (area, responsible person, phone,
 * the account told of findings); bureaus see the coverage per county and school (grids with a named person /
 * all grids; schools without grids) and open any school's grids.
 */
import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  Drawer,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Grid, GridCoverage, GridList, UserPage } from '@dudao/contracts';
import { api, isApiError } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { UnitTreeSelect } from '../org/components/UnitTreeSelect.tsx';
import { BarChart, COLORS, LoadError, percent, useResource } from './common.tsx';
import { useSafetyI18n } from './messages.ts';
import './safety.css';

type SchoolRow = GridCoverage['schools'][number];

export default function GridsPage() {
  const { s } = useSafetyI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [under, setUnder] = useState<string | undefined>();
  const [school, setSchool] = useState<{ id: string; name: string } | null>(null);
  const atSchool = me.unit.kind === 'school';
  const { data, error, reload } = useResource<GridCoverage>(atSchool ? null : '/api/safety/grids/coverage', {
    under,
  });

  if (atSchool)
    return (
      <div data-testid="safety-grids">
        <PageHeader title={s('sf.grids.title')} crumbs={[{ title: s('sf.safety') }]} />
        <Typography.Paragraph type="secondary">{s('sf.grids.slogan')}</Typography.Paragraph>
        <SchoolGrids schoolId={me.unit.id} />
      </div>
    );

  const columns: TableColumnsType<SchoolRow> = [
    {
      title: s('sf.school'),
      render: (_: unknown, r) => (
        <Button type="link" size="small" onClick={() => setSchool({ id: r.unitId, name: r.name })}>
          {r.name}
        </Button>
      ),
    },
    { title: s('sf.unit'), dataIndex: 'parentName', width: 160 },
    {
      title: s('sf.grids.gridCount'),
      dataIndex: 'grids',
      width: 80,
      render: (n: number) => (n === 0 ? <Tag color="red">{s('sf.grids.noGrids')}</Tag> : n),
    },
    { title: s('sf.grids.staffed'), dataIndex: 'staffed', width: 80 },
    {
      title: s('sf.grids.coverageRate'),
      dataIndex: 'coverage',
      width: 100,
      render: (r: number | null) => percent(r),
    },
  ];
  return (
    <div data-testid="safety-grids">
      <PageHeader title={s('sf.grids.coverage')} crumbs={[{ title: s('sf.safety') }]}>
        <Typography.Text type="secondary">{s('sf.grids.slogan')}</Typography.Text>
      </PageHeader>
      <Space wrap className="safety-gap">
        <UnitTreeSelect
          value={under}
          onChange={setUnder}
          selectable={['city_bureau', 'county_bureau']}
          placeholder={s('sf.underAll')}
          style={{ width: 220 }}
        />
      </Space>
      {error ? <LoadError error={error} onRetry={reload} /> : null}
      {data ? (
        <>
          <Card size="small" className="safety-gap" title={data.unitName}>
            <Row gutter={12}>
              <Col xs={8} md={4}>
                <Statistic title={s('sf.schools')} value={data.totals.schools} />
              </Col>
              <Col xs={8} md={4}>
                <Statistic title={s('sf.grids.withGrids')} value={data.totals.schoolsWithGrids} />
              </Col>
              <Col xs={8} md={4}>
                <Statistic title={s('sf.grids.gridCount')} value={data.totals.grids} />
              </Col>
              <Col xs={8} md={4}>
                <Statistic title={s('sf.grids.staffed')} value={data.totals.staffed} />
              </Col>
              <Col xs={8} md={4}>
                <Statistic title={s('sf.grids.coverageRate')} value={percent(data.totals.coverage)} />
              </Col>
            </Row>
          </Card>
          {data.byUnit.length > 1 ? (
            <Card size="small" className="safety-gap">
              <BarChart
                testId="grid-chart"
                categories={data.byUnit.map((u) => u.name.replace(/教育局$/, ''))}
                series={[
                  {
                    name: s('sf.grids.gridCount'),
                    data: data.byUnit.map((u) => u.grids),
                    color: COLORS.found,
                  },
                  {
                    name: s('sf.grids.staffed'),
                    data: data.byUnit.map((u) => u.staffed),
                    color: COLORS.rectified,
                  },
                ]}
              />
              <Table
                rowKey="unitId"
                size="small"
                pagination={false}
                dataSource={data.byUnit}
                columns={[
                  { title: s('sf.unit'), dataIndex: 'name' },
                  { title: s('sf.schools'), dataIndex: 'schools', width: 70 },
                  { title: s('sf.grids.withGrids'), dataIndex: 'schoolsWithGrids', width: 110 },
                  { title: s('sf.grids.gridCount'), dataIndex: 'grids', width: 70 },
                  { title: s('sf.grids.staffed'), dataIndex: 'staffed', width: 80 },
                  {
                    title: s('sf.grids.coverageRate'),
                    dataIndex: 'coverage',
                    width: 100,
                    render: (r: number | null) => percent(r),
                  },
                ]}
              />
            </Card>
          ) : null}
          <Card size="small" title={s('sf.grids.pickSchool')}>
            {isMobile ? (
              data.schools.map((r) => (
                <Card
                  key={r.unitId}
                  size="small"
                  className="safety-mobile-card"
                  onClick={() => setSchool({ id: r.unitId, name: r.name })}
                >
                  <strong>{r.name}</strong>{' '}
                  {r.grids === 0 ? (
                    <Tag color="red">{s('sf.grids.noGrids')}</Tag>
                  ) : (
                    `${r.staffed}/${r.grids} · ${percent(r.coverage)}`
                  )}
                </Card>
              ))
            ) : (
              <Table<SchoolRow>
                rowKey="unitId"
                size="small"
                columns={columns}
                dataSource={data.schools}
                pagination={{ pageSize: 50, showSizeChanger: false }}
              />
            )}
          </Card>
        </>
      ) : (
        <Card loading />
      )}
      {school ? (
        <Drawer
          open
          width={isMobile ? '100%' : 760}
          title={school.name}
          onClose={() => {
            setSchool(null);
            reload();
          }}
        >
          <SchoolGrids schoolId={school.id} />
        </Drawer>
      ) : null}
    </div>
  );
}

function SchoolGrids({ schoolId }: { schoolId: string }) {
  const { s } = useSafetyI18n();
  const { message, modal } = App.useApp();
  const isMobile = useIsMobile();
  const { data, error, reload } = useResource<GridList>('/api/safety/grids', { schoolId });
  const [editing, setEditing] = useState<Grid | 'new' | null>(null);
  if (error) return <LoadError error={error} onRetry={reload} />;
  const remove = (g: Grid) =>
    modal.confirm({
      title: s('sf.confirmDelete'),
      onOk: async () => {
        try {
          await api.delete(`/api/safety/grids/${g.id}`);
          reload();
        } catch (err) {
          void message.error(isApiError(err) ? err.message : String(err));
        }
      },
    });
  const items = data?.items ?? [];
  const staffed = items.filter((g) => g.personName).length;
  const columns: TableColumnsType<Grid> = [
    { title: s('sf.grids.name'), dataIndex: 'name' },
    { title: s('sf.grids.location'), dataIndex: 'location', render: (v: string | null) => v ?? '—' },
    {
      title: s('sf.grids.person'),
      width: 110,
      render: (_: unknown, g) => g.personName ?? <Tag color="red">{s('sf.grids.noPerson')}</Tag>,
    },
    {
      title: s('sf.grids.phone'),
      dataIndex: 'personPhone',
      width: 130,
      render: (v: string | null) => v ?? '—',
    },
    { title: s('sf.grids.openFindings'), dataIndex: 'openFindings', width: 90 },
    ...(data?.canEdit
      ? [
          {
            title: s('sf.actions'),
            width: 110,
            render: (_: unknown, g: Grid) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setEditing(g)}>
                  {s('sf.edit')}
                </Button>
                <Button size="small" type="link" danger onClick={() => remove(g)}>
                  {s('sf.delete')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      size="small"
      title={`${s('sf.grids.gridCount')} ${items.length} · ${s('sf.grids.staffed')} ${staffed} · ${s('sf.grids.coverageRate')} ${percent(items.length ? staffed / items.length : null)}`}
      extra={
        data?.canEdit ? (
          <Button
            size="small"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="grid-new"
          >
            {s('sf.grids.new')}
          </Button>
        ) : null
      }
    >
      {isMobile ? (
        items.map((g) => (
          <Card
            key={g.id}
            size="small"
            className="safety-mobile-card"
            onClick={data?.canEdit ? () => setEditing(g) : undefined}
          >
            <strong>{g.name}</strong>{' '}
            {g.personName ? (
              `· ${g.personName} ${g.personPhone ?? ''}`
            ) : (
              <Tag color="red">{s('sf.grids.noPerson')}</Tag>
            )}
            <div>{g.location}</div>
          </Card>
        ))
      ) : (
        <Table<Grid>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items}
          pagination={false}
          loading={!data}
        />
      )}
      {editing ? (
        <GridModal
          schoolId={schoolId}
          grid={editing === 'new' ? null : editing}
          onClose={(changed) => {
            setEditing(null);
            if (changed) reload();
          }}
        />
      ) : null}
    </Card>
  );
}

interface GridForm {
  name: string;
  location?: string;
  personName?: string;
  personPhone?: string;
  userId?: string;
}

function GridModal({
  schoolId,
  grid,
  onClose,
}: {
  schoolId: string;
  grid: Grid | null;
  onClose: (changed: boolean) => void;
}) {
  const { s } = useSafetyI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<GridForm>();
  const [saving, setSaving] = useState(false);
  const { data: users } = useResource<UserPage>('/api/users', { unitId: schoolId, pageSize: 200 });
  async function save() {
    const v = await form.validateFields();
    setSaving(true);
    const clean = (x?: string) => (x?.trim() ? x.trim() : undefined);
    try {
      if (grid)
        await api.patch(`/api/safety/grids/${grid.id}`, {
          name: v.name,
          location: clean(v.location) ?? null,
          personName: clean(v.personName) ?? null,
          personPhone: clean(v.personPhone) ?? null,
          userId: v.userId ?? null,
        });
      else
        await api.post('/api/safety/grids', {
          schoolId,
          name: v.name,
          ...(clean(v.location) ? { location: clean(v.location) } : {}),
          ...(clean(v.personName) ? { personName: clean(v.personName) } : {}),
          ...(clean(v.personPhone) ? { personPhone: clean(v.personPhone) } : {}),
          ...(v.userId ? { userId: v.userId } : {}),
        });
      onClose(true);
    } catch (err) {
      void message.error(isApiError(err) ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal
      open
      title={grid ? grid.name : s('sf.grids.new')}
      onCancel={() => onClose(false)}
      onOk={() => void save()}
      confirmLoading={saving}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          grid
            ? {
                name: grid.name,
                location: grid.location ?? undefined,
                personName: grid.personName ?? undefined,
                personPhone: grid.personPhone ?? undefined,
                userId: grid.userId ?? undefined,
              }
            : {}
        }
      >
        <Form.Item name="name" label={s('sf.grids.name')} rules={[{ required: true, max: 60 }]}>
          <Input placeholder="教学楼一层" data-testid="grid-name" />
        </Form.Item>
        <Form.Item name="location" label={s('sf.grids.location')} rules={[{ max: 200 }]}>
          <Input placeholder="教学楼一层走廊、楼梯间及东侧卫生间" />
        </Form.Item>
        <Form.Item name="personName" label={s('sf.grids.person')} rules={[{ max: 32 }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="personPhone"
          label={s('sf.grids.phone')}
          rules={[{ pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, message: '11位手机号或带区号的固定电话' }]}
        >
          <Input inputMode="tel" />
        </Form.Item>
        <Form.Item name="userId" label={s('sf.grids.user')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={(users?.items ?? []).map((u) => ({
              value: u.id,
              label: `${u.displayName}（${u.username}）`,
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
