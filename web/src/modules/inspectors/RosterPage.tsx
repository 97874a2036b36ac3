/**
 * 督学名册 (督学人才库): the inspectors in the user's area with their profile and how many schools each is
 * responsible for (above the bureau's maximum: warned); a drawer to edit the profile and assign schools
 * (the bureau), links to each school's plaque; the bureau's settings (visits per term, maximum, hotline).
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  Avatar,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { EditOutlined, SettingOutlined, UserOutlined, WarningOutlined } from '@ant-design/icons';
import {
  INSPECTOR_EMPLOYMENTS,
  INSPECTOR_STATUSES,
  inspectorEmploymentLabels,
  inspectorStatusLabels,
  label,
  type Inspector,
  type InspectorDetail,
  type InspectorPage,
  type InspectorSettings,
} from '@dudao/contracts';
import { api } from '../../app/api.ts';
import { useMe } from '../../app/auth.tsx';
import { useFeedback } from '../../app/feedback.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { PhotoField, uploadPhotos, type PhotoValue } from '../../app/PhotoField.tsx';
import { useIsMobile } from '../../app/responsive.ts';
import { useResource, useSchoolOptions } from './components/common.tsx';
import { useInspectorI18n } from './messages.ts';
import './inspectors.css';

export default function RosterPage() {
  const { m, lang } = useInspectorI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const r = useResource<InspectorPage>('/api/inspectors', { q: q || undefined, page, pageSize: 20 });
  const items = r.data?.items ?? [];
  const manager = me.access.manageInspectors && me.unit.kind !== 'school';

  const countTag = (i: Inspector) =>
    i.overloaded ? (
      <Tag
        color="red"
        icon={<WarningOutlined />}
      >{`${i.schoolCount}（${m('in.overloaded', { max: i.maxSchools })}）`}</Tag>
    ) : (
      <Tag>{i.schoolCount}</Tag>
    );
  const columns = [
    {
      title: m('in.name'),
      render: (_: unknown, i: Inspector) => (
        <Space>
          <Avatar
            size="small"
            icon={<UserOutlined />}
            src={i.photoFileId ? `/api/files/${i.photoFileId}` : undefined}
          />
          <a onClick={() => setOpenId(i.userId)}>{i.name}</a>
          {i.hasProfile ? null : <Tag>{m('in.noProfile')}</Tag>}
          {i.accountDisabled ? <Tag color="default">{m('in.accountDisabled')}</Tag> : null}
        </Space>
      ),
    },
    { title: m('in.unit'), dataIndex: 'unitName', width: 150 },
    {
      title: m('in.employment'),
      dataIndex: 'employment',
      width: 80,
      render: (e: string | null) => label(inspectorEmploymentLabels, e, lang) || '—',
    },
    { title: m('in.title'), dataIndex: 'title', render: (x: string | null) => x ?? '—' },
    { title: m('in.phone'), dataIndex: 'phone', width: 130, render: (x: string | null) => x ?? '—' },
    {
      title: m('in.certificateNo'),
      dataIndex: 'certificateNo',
      width: 140,
      render: (x: string | null) => x ?? '—',
    },
    { title: m('in.assigned'), width: 150, render: (_: unknown, i: Inspector) => countTag(i) },
    {
      title: m('in.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: string) => label(inspectorStatusLabels, s, lang),
    },
  ];

  return (
    <div>
      <PageHeader
        title={m('in.roster')}
        crumbs={[{ title: m('in.group') }]}
        extra={
          manager ? (
            <Button
              icon={<SettingOutlined />}
              onClick={() => setSettingsOpen(true)}
              data-testid="inspector-settings"
            >
              {m('in.settings')}
            </Button>
          ) : null
        }
      />
      <Card size="small">
        <Input.Search
          allowClear
          placeholder={m('in.search')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          className="insp-gap"
          style={{ maxWidth: 360 }}
        />
        {isMobile ? (
          items.length ? (
            <div className="insp-cards">
              {items.map((i) => (
                <Card
                  key={i.userId}
                  size="small"
                  onClick={() => setOpenId(i.userId)}
                  className={i.overloaded ? 'insp-card-red' : ''}
                >
                  <div className="insp-card-head">
                    <strong>{i.name}</strong>
                    {countTag(i)}
                  </div>
                  <Typography.Text type="secondary">
                    {[i.unitName, i.title, i.phone].filter(Boolean).join(' · ')}
                  </Typography.Text>
                </Card>
              ))}
            </div>
          ) : (
            <Empty description={m('in.empty')} />
          )
        ) : (
          <Table<Inspector>
            rowKey="userId"
            size="middle"
            loading={r.loading}
            dataSource={items}
            columns={columns}
            rowClassName={(i) => (i.overloaded ? 'insp-row-red' : '')}
            pagination={{
              current: page,
              pageSize: 20,
              total: r.data?.total ?? 0,
              onChange: setPage,
              showSizeChanger: false,
            }}
          />
        )}
      </Card>
      {openId ? <InspectorDrawer userId={openId} onClose={() => setOpenId(null)} onSaved={r.reload} /> : null}
      {settingsOpen ? <SettingsDrawer unitId={me.unit.id} onClose={() => setSettingsOpen(false)} /> : null}
    </div>
  );
}

interface ProfileForm {
  employment: string;
  title?: string;
  employer?: string;
  phone?: string;
  specialty?: string;
  certificateNo?: string;
  appointedOn?: string;
  status: string;
  note?: string;
  photos: PhotoValue[];
}

function InspectorDrawer({
  userId,
  onClose,
  onSaved,
}: {
  userId: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, m, lang } = useInspectorI18n();
  const feedback = useFeedback();
  const r = useResource<InspectorDetail>(`/api/inspectors/${userId}`);
  const [editing, setEditing] = useState(false);
  const [assigning, setAssigning] = useState(false);
  const [schoolIds, setSchoolIds] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<ProfileForm>();
  const schools = useSchoolOptions(assigning);
  const d = r.data;
  useEffect(() => {
    if (d) setSchoolIds(d.schools.map((s) => s.id));
  }, [d]);

  async function saveProfile() {
    if (!d) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      const [photo] = await uploadPhotos(v.photos ?? [], d.unitId);
      const opt = (x?: string) => (x?.trim() ? x.trim() : null);
      const next = await api.put<InspectorDetail>(`/api/inspectors/${userId}/profile`, {
        employment: v.employment,
        title: opt(v.title),
        employer: opt(v.employer),
        phone: opt(v.phone),
        photoFileId: photo ?? null,
        specialty: opt(v.specialty),
        certificateNo: opt(v.certificateNo),
        appointedOn: opt(v.appointedOn),
        status: v.status,
        note: opt(v.note),
      });
      r.setData(next);
      setEditing(false);
      onSaved();
      feedback.success(m('in.saved'));
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  }
  async function saveSchools() {
    setBusy(true);
    try {
      r.setData(await api.put<InspectorDetail>(`/api/inspectors/${userId}/schools`, { schoolIds }));
      setAssigning(false);
      onSaved();
      feedback.success(m('in.saved'));
    } catch (err) {
      feedback.error(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer open onClose={onClose} title={d?.name ?? ''} width={560} loading={!d}>
      {d ? (
        <>
          {d.overloaded ? (
            <Alert
              className="insp-gap"
              type="warning"
              showIcon
              message={`${m('in.assigned')} ${d.schoolCount}：${m('in.overloaded', { max: d.maxSchools })}`}
            />
          ) : null}
          {editing ? (
            <Form<ProfileForm>
              form={form}
              layout="vertical"
              initialValues={{
                employment: d.employment ?? 'part_time',
                title: d.title ?? undefined,
                employer: d.employer ?? undefined,
                phone: d.phone ?? undefined,
                specialty: d.specialty ?? undefined,
                certificateNo: d.certificateNo ?? undefined,
                appointedOn: d.appointedOn ?? undefined,
                status: d.status,
                note: d.note ?? undefined,
                photos: d.photoFileId ? [{ id: d.photoFileId, name: 'photo' }] : [],
              }}
            >
              <Form.Item name="photos" label={m('in.photo')}>
                <PhotoField unitId={d.unitId} max={1} />
              </Form.Item>
              <Form.Item name="employment" label={m('in.employment')} rules={[{ required: true }]}>
                <Select
                  options={INSPECTOR_EMPLOYMENTS.map((x) => ({
                    value: x,
                    label: label(inspectorEmploymentLabels, x, lang),
                  }))}
                />
              </Form.Item>
              <Form.Item name="title" label={m('in.title')}>
                <Input maxLength={60} />
              </Form.Item>
              <Form.Item name="employer" label={m('in.employer')}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="phone" label={m('in.phone')}>
                <Input maxLength={20} inputMode="tel" />
              </Form.Item>
              <Form.Item name="certificateNo" label={m('in.certificateNo')}>
                <Input maxLength={40} />
              </Form.Item>
              <Form.Item name="appointedOn" label={m('in.appointedOn')}>
                <Input type="date" />
              </Form.Item>
              <Form.Item name="specialty" label={m('in.specialty')}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="status" label={m('in.status')}>
                <Select
                  options={INSPECTOR_STATUSES.map((x) => ({
                    value: x,
                    label: label(inspectorStatusLabels, x, lang),
                  }))}
                />
              </Form.Item>
              <Form.Item name="note" label={m('in.note')}>
                <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
              </Form.Item>
              <Space>
                <Button type="primary" loading={busy} onClick={() => void saveProfile()}>
                  {t('common.save')}
                </Button>
                <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
              </Space>
            </Form>
          ) : (
            <>
              <Space align="start" className="insp-gap">
                {d.photoFileId ? <PhotoField readOnly value={[{ id: d.photoFileId, name: d.name }]} /> : null}
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={m('in.unit')}>{d.unitName}</Descriptions.Item>
                  <Descriptions.Item label={m('in.employment')}>
                    {label(inspectorEmploymentLabels, d.employment, lang) || '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={m('in.title')}>{d.title ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={m('in.employer')}>{d.employer ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={m('in.phone')}>{d.phone ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={m('in.certificateNo')}>
                    {d.certificateNo ?? '—'}
                  </Descriptions.Item>
                  <Descriptions.Item label={m('in.appointedOn')}>{d.appointedOn ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={m('in.specialty')}>{d.specialty ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={m('in.status')}>
                    {label(inspectorStatusLabels, d.status, lang)}
                  </Descriptions.Item>
                </Descriptions>
              </Space>
              {d.canManage ? (
                <Button
                  icon={<EditOutlined />}
                  onClick={() => setEditing(true)}
                  className="insp-gap"
                  data-testid="edit-profile"
                >
                  {m('in.editProfile')}
                </Button>
              ) : null}
            </>
          )}
          <Typography.Title level={5} className="insp-section-title">
            {`${m('in.assigned')}（${d.term.label[lang]}）`}
          </Typography.Title>
          {assigning ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Select
                mode="multiple"
                value={schoolIds}
                onChange={setSchoolIds}
                options={schools}
                optionFilterProp="label"
                style={{ width: '100%' }}
              />
              {schoolIds.length > d.maxSchools ? (
                <Typography.Text type="warning">{m('in.overloaded', { max: d.maxSchools })}</Typography.Text>
              ) : null}
              <Space>
                <Button type="primary" loading={busy} onClick={() => void saveSchools()}>
                  {t('common.save')}
                </Button>
                <Button onClick={() => setAssigning(false)}>{t('common.cancel')}</Button>
              </Space>
            </Space>
          ) : (
            <>
              <List
                size="small"
                dataSource={d.schools}
                locale={{ emptyText: m('in.empty') }}
                renderItem={(s) => (
                  <List.Item
                    actions={[
                      <Link key="p" to={`/inspectors/plaque/${s.id}`}>
                        {m('in.plaque')}
                      </Link>,
                    ]}
                  >
                    <Space wrap>
                      <span>{s.name}</span>
                      <Tag color={s.visitsThisTerm >= s.required ? 'green' : 'orange'}>
                        {`${m('in.thisTerm')} ${s.visitsThisTerm}/${s.required}`}
                      </Tag>
                    </Space>
                  </List.Item>
                )}
              />
              {d.canManage ? (
                <Button onClick={() => setAssigning(true)} data-testid="assign-schools">
                  {m('in.assign')}
                </Button>
              ) : null}
            </>
          )}
        </>
      ) : null}
    </Drawer>
  );
}

function SettingsDrawer({ unitId, onClose }: { unitId: string; onClose: () => void }) {
  const { t, m } = useInspectorI18n();
  const feedback = useFeedback();
  const r = useResource<InspectorSettings>('/api/inspectors/settings', { unitId });
  const [form] = Form.useForm<{ visitsPerTerm: number; maxSchools: number; hotline?: string }>();
  const [busy, setBusy] = useState(false);
  const s = r.data;
  async function save() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      r.setData(
        await api.put<InspectorSettings>('/api/inspectors/settings', {
          unitId,
          visitsPerTerm: v.visitsPerTerm,
          maxSchools: v.maxSchools,
          hotline: v.hotline?.trim() || null,
        }),
      );
      feedback.success(m('in.saved'));
      onClose();
    } catch (err) {
      feedback.error(err, form);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Drawer open onClose={onClose} title={m('in.settings')} width={420} loading={!s}>
      {s ? (
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            visitsPerTerm: s.visitsPerTerm,
            maxSchools: s.maxSchools,
            hotline: s.hotline ?? undefined,
          }}
          disabled={!s.canManage}
        >
          <Typography.Paragraph type="secondary">
            {`${s.unitName} · ${m('in.settingsSource')}：${m(s.source === 'own' ? 'in.own' : s.source === 'inherited' ? 'in.inherited' : 'in.default')}`}
          </Typography.Paragraph>
          <Form.Item name="visitsPerTerm" label={m('in.visitsPerTerm')} rules={[{ required: true }]}>
            <InputNumber min={1} max={20} />
          </Form.Item>
          <Form.Item name="maxSchools" label={m('in.maxSchools')} rules={[{ required: true }]}>
            <InputNumber min={1} max={50} />
          </Form.Item>
          <Form.Item name="hotline" label={m('in.hotline')}>
            <Input maxLength={40} inputMode="tel" />
          </Form.Item>
          <Button type="primary" loading={busy} onClick={() => void save()}>
            {t('common.save')}
          </Button>
        </Form>
      ) : null}
    </Drawer>
  );
}
